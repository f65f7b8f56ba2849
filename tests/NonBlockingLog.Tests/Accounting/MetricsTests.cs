using System.Diagnostics.Metrics;
using NonBlockingLog.Tests.Consumption;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.Accounting;

public sealed class MetricsTests
{
    [Fact]
    public async Task Meter_PublishesCountersTaggedWithSinkNameThatMatchTheSnapshot()
    {
        var inner = new GatedSink();
        var sink = NonBlockingSinkTests.Create(inner, Some.Options(capacity: 2));
        sink.Emit(Some.Event(0));
        await inner.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        for (var i = 1; i <= 4; i++) sink.Emit(Some.Event(i)); // 2 queued, 2 dropped

        var seen = new List<(string Instrument, long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "NonBlockingLog") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var dict = new Dictionary<string, object?>();
            foreach (var tag in tags) dict[tag.Key] = tag.Value;
            if (Equals(dict.GetValueOrDefault("sink"), sink.Name)) seen.Add((instrument.Name, value, dict));
        });
        listener.Start();
        listener.RecordObservableInstruments();

        long Value(string instrument, string? reason = null) => seen.Single(m => m.Instrument == instrument &&
            (reason is null || Equals(m.Tags.GetValueOrDefault("reason"), reason))).Value;

        Assert.Equal(3, Value("nonblockinglog.events.enqueued"));
        Assert.Equal(0, Value("nonblockinglog.events.written"));
        Assert.Equal(2, Value("nonblockinglog.events.dropped", "queue_full"));
        Assert.Equal(0, Value("nonblockinglog.events.dropped", "wait_timeout"));
        Assert.Equal(2, Value("nonblockinglog.queue.depth"));
        Assert.Equal(0, seen.Where(m => m.Instrument == "nonblockinglog.consumer.restarts").Sum(m => m.Value));
        Assert.Contains(seen, m => m.Instrument == "nonblockinglog.consumer.stalls");

        inner.Release();
        sink.Dispose();
    }
}
