using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.Accounting;

/// <summary>The <c>NonBlockingLog</c> Meter as any System.Diagnostics.Metrics listener sees it.</summary>
public sealed class MetricsTests
{
    const string Meter = "NonBlockingLog";

    /// <summary>Collects the sink's observable instruments now and returns the one measurement with these tags.</summary>
    static long Observe(MetricCollector<long> collector, string sink, string? tag = null, string? value = null)
    {
        collector.RecordObservableInstruments();
        return collector.GetMeasurementSnapshot(clear: true)
            .Single(m => Equals(m.Tags["sink"], sink) && (tag is null || Equals(m.Tags[tag], value))).Value;
    }

    [Fact]
    public async Task Meter_WithEventsQueuedAndDropped_PublishesCountersTaggedWithTheSinkThatMatchTheSnapshot()
    {
        using var enqueued = new MetricCollector<long>(null, Meter, "nonblockinglog.events.enqueued");
        using var written = new MetricCollector<long>(null, Meter, "nonblockinglog.events.written");
        using var dropped = new MetricCollector<long>(null, Meter, "nonblockinglog.events.dropped");
        using var depth = new MetricCollector<long>(null, Meter, "nonblockinglog.queue.depth");
        using var restarts = new MetricCollector<long>(null, Meter, "nonblockinglog.consumer.restarts");
        using var stalls = new MetricCollector<long>(null, Meter, "nonblockinglog.consumer.stalls");
        var (sink, inner) = await TestSinks.HeldAsync(Some.Options(capacity: 2));
        for (var i = 1; i <= 4; i++) sink.Emit(Some.Event(i)); // 2 queued, 2 dropped

        Assert.Equal(3, Observe(enqueued, sink.Name));
        Assert.Equal(0, Observe(written, sink.Name));
        Assert.Equal(2, Observe(dropped, sink.Name, "reason", "queue_full"));
        Assert.Equal(0, Observe(dropped, sink.Name, "reason", "wait_timeout"));
        Assert.Equal(2, Observe(depth, sink.Name));
        Assert.Equal(0, Observe(restarts, sink.Name, "cause", "fault"));
        Assert.Equal(0, Observe(restarts, sink.Name, "cause", "stall"));
        Assert.Equal(0, Observe(stalls, sink.Name));

        inner.Release();
        sink.Dispose();
        Assert.Equal(3, sink.GetSnapshot().Written);
    }

    [Fact]
    public void Meter_WhileBatchDurationIsCollected_RecordsEachBatchInSecondsTaggedWithTheSink()
    {
        using var durations = new MetricCollector<double>(null, Meter, "nonblockinglog.batch.duration");
        var sink = TestSinks.Create(new CollectingSink(), Some.Options());

        using (sink) sink.Emit(Some.Event(1));

        var batch = Assert.Single(durations.GetMeasurementSnapshot(), m => Equals(m.Tags["sink"], sink.Name));
        Assert.InRange(batch.Value, 0, 30);
        Assert.Equal("s", durations.Instrument!.Unit);
    }
}
