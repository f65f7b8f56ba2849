using NonBlockingLog.Tests.Support;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace NonBlockingLog.Tests.Accounting;

/// <summary>The <c>NonBlockingLog</c> Meter through the OpenTelemetry SDK, as an exporter receives it.</summary>
public sealed class OpenTelemetryTests
{
    sealed record Point(string Metric, string Unit, MetricType Type, IReadOnlyDictionary<string, object?> Tags, long Value, long Count);

    /// <summary>Collects once and returns the points of one sink, with their metric's name, unit and type.</summary>
    static List<Point> Export(MeterProvider provider, List<Metric> exported, string sink)
    {
        exported.Clear();
        Assert.True(provider.ForceFlush(10_000));
        var points = new List<Point>();
        foreach (var metric in exported)
        {
            foreach (ref readonly var p in metric.GetMetricPoints())
            {
                var tags = new Dictionary<string, object?>();
                foreach (var tag in p.Tags) tags[tag.Key] = tag.Value;
                if (!Equals(tags.GetValueOrDefault("sink"), sink)) continue;
                var value = metric.MetricType switch
                {
                    MetricType.LongSum => p.GetSumLong(),
                    MetricType.LongGauge => p.GetGaugeLastValueLong(),
                    _ => 0,
                };
                points.Add(new Point(metric.Name, metric.Unit, metric.MetricType, tags, value, metric.MetricType == MetricType.Histogram ? p.GetHistogramCount() : 0));
            }
        }

        return points;
    }

    [Fact]
    public async Task MeterProvider_ExportsEveryInstrumentWithItsUnitAndTags_EqualToTheSnapshot()
    {
        var exported = new List<Metric>();
        using var provider = Sdk.CreateMeterProviderBuilder().AddMeter("NonBlockingLog").AddInMemoryExporter(exported).Build();
        var (sink, inner) = await TestSinks.HeldAsync(Some.Options(capacity: 2, fullMode: QueueFullMode.DropNewest));
        for (var i = 1; i <= 5; i++) sink.Emit(Some.Event(i)); // 2 queued, 3 dropped as queue_full

        var points = Export(provider, exported, sink.Name);
        var s = sink.GetSnapshot();
        long Value(string metric, string? tag = null, string? value = null) =>
            points.Single(p => p.Metric == metric && (tag is null || Equals(p.Tags[tag], value))).Value;

        Assert.Equal(s.Enqueued, Value("nonblockinglog.events.enqueued"));
        Assert.Equal(s.Written, Value("nonblockinglog.events.written"));
        Assert.Equal(s.QueueDepth, Value("nonblockinglog.queue.depth"));
        Assert.Equal(s.Stalls, Value("nonblockinglog.consumer.stalls"));
        Assert.Equal(s.FaultRestarts, Value("nonblockinglog.consumer.restarts", "cause", "fault"));
        Assert.Equal(s.StallRestarts, Value("nonblockinglog.consumer.restarts", "cause", "stall"));
        Assert.Equal(3, s.DroppedByReason[DropReason.QueueFull]);
        foreach (var reason in Enum.GetValues<DropReason>())
            Assert.Equal(s.DroppedByReason[reason], Value("nonblockinglog.events.dropped", "reason", reason.ToTag()));

        Assert.Equal(
        [
            ("nonblockinglog.consumer.restarts", "{restart}", MetricType.LongSum),
            ("nonblockinglog.consumer.stalls", "{stall}", MetricType.LongSum),
            ("nonblockinglog.events.dropped", "{event}", MetricType.LongSum),
            ("nonblockinglog.events.enqueued", "{event}", MetricType.LongSum),
            ("nonblockinglog.events.written", "{event}", MetricType.LongSum),
            ("nonblockinglog.queue.depth", "{event}", MetricType.LongGauge),
        ], points.Select(p => (p.Metric, p.Unit, p.Type)).Distinct().Order());
        Assert.All(points, p => Assert.Subset(new HashSet<string> { "sink", "reason", "cause" }, p.Tags.Keys.ToHashSet()));

        // Once the batch is written, its duration arrives too, in seconds.
        inner.Release();
        Wait.Until(() => sink.GetSnapshot() is { Pending: 0, Written: 3 }, "the queued events are written");
        points = Export(provider, exported, sink.Name);
        Assert.Equal(3, Value("nonblockinglog.events.written"));
        var duration = Assert.Single(points, p => p.Metric == "nonblockinglog.batch.duration");
        Assert.Equal(("s", MetricType.Histogram), (duration.Unit, duration.Type));
        Assert.InRange(duration.Count, 1, 3);
        sink.Dispose();
    }
}
