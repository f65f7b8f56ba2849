using System.Globalization;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.AspNetCore;

/// <summary>The sample's /metrics, as a Prometheus scraper reads it: the sinks' instruments beside Serilog's own.</summary>
[Collection(StaticLoggerCollection.Name)]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_AfterARequest_ShowsEveryInstrumentOfEachSinkBesideSerilogsOwn()
    {
        await using var app = new SampleApp();
        app.Start();
        var client = app.CreateClient();
        (await client.GetAsync("/hello/you")).EnsureSuccessStatusCode();
        var before = app.WaitUntilIdle().Written;

        var lines = (await client.GetStringAsync("/metrics")).Split('\n');
        var after = app.WaitUntilIdle().Written;

        string Line(string name, string? label = null) =>
            Assert.Single(lines, l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains($"sink=\"{app.Main}\"", StringComparison.Ordinal)
                && (label is null || l.Contains(label, StringComparison.Ordinal)));

        var written = long.Parse(Line("nonblockinglog_events_written_total").Split(' ')[^1], CultureInfo.InvariantCulture);
        Assert.InRange(written, before, after);
        Line("nonblockinglog_events_enqueued_total");
        Line("nonblockinglog_queue_depth");
        Line("nonblockinglog_consumer_stalls_total");
        Line("nonblockinglog_consumer_restarts_total", "cause=\"fault\"");
        Line("nonblockinglog_consumer_restarts_total", "cause=\"stall\"");
        foreach (var reason in Enum.GetValues<DropReason>()) Line("nonblockinglog_events_dropped_total", $"reason=\"{reason.ToTag()}\"");
        Line("nonblockinglog_batch_duration_seconds_count");
        Line("nonblockinglog_batch_duration_seconds_bucket", "le=\"0.001\""); // buckets for seconds, not milliseconds
        Assert.Contains(lines, l => l.StartsWith("serilog_pipeline_event_emitted_total{", StringComparison.Ordinal));
    }
}
