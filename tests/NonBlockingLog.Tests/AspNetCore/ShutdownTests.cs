using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.AspNetCore;

/// <summary>When the host stops, the logger is drained and disposed: no lost tail, no hang.</summary>
[Collection(StaticLoggerCollection.Name)]
public sealed class ShutdownTests
{
    [Fact]
    public async Task Stop_RightAfterRequests_WritesEveryLineLoggedBeforeIt()
    {
        await using var app = new SampleApp();
        app.Start();
        var client = app.CreateClient();

        // No waiting for the sink: whatever is still queued when the host stops must be written by the shutdown.
        const int Requests = 300;
        await Task.WhenAll(Enumerable.Range(0, Requests).Select(i => client.GetAsync($"/hello/{i}")));
        await app.StopAsync().WaitAsync(Wait.HangGuard);

        var lines = app.LogLines();
        Assert.Equal(Requests, lines.Count(l => l.Contains("Saying hello to", StringComparison.Ordinal)));
        Assert.Equal(Requests, lines.Count(l => l.Contains("HTTP GET /hello/", StringComparison.Ordinal)));
        var s = app.MainSink.GetSnapshot();
        Assert.Equal(SinkState.Stopped, s.State);
        Assert.Equal(0, s.Dropped);
        Assert.Equal(s.Enqueued, s.Written);
        Assert.Equal(s.Written, lines.Length);
        Assert.Contains("Application is shutting down", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_WhileTheDestinationHangs_EndsWithinShutdownTimeoutAndCountsWhatWasNotWritten()
    {
        await using var app = new SampleApp(fileArgs: args =>
        {
            args["shutdownTimeout"] = "00:00:00.300";
            args["stallTimeout"] = "00:10:00";
        });
        app.Start();
        var client = app.CreateClient();
        var drills = app.MainDrills;

        await app.RunDrillAsync(client, "stall");
        app.WaitUntilHungInAWrite();
        for (var i = 0; i < 5; i++) (await client.GetAsync($"/hello/{i}")).EnsureSuccessStatusCode();

        await app.StopAsync().WaitAsync(Wait.HangGuard);

        var s = app.MainSink.GetSnapshot();
        Assert.Equal(SinkState.Stopped, s.State);
        Assert.True(s.DroppedByReason[DropReason.ShutdownTimeout] >= 11, $"{s.DroppedByReason[DropReason.ShutdownTimeout]} counted as shutdown_timeout");
        Assert.Equal(s.Enqueued, s.Written + s.DroppedByReason[DropReason.ShutdownTimeout]);
        Assert.DoesNotContain(app.LogLines(), l => l.Contains("Saying hello to", StringComparison.Ordinal));
        drills.Run(FaultDrill.Heal); // lets the abandoned consumer's thread end
    }

    [Fact]
    public async Task Stop_AfterDrops_LeavesLinesInTheLogThatCountEveryDrop()
    {
        await using var app = new SampleApp(fileArgs: args =>
        {
            args["capacity"] = 2;
            args["fullMode"] = "DropNewest";
        });
        app.Start();
        var client = app.CreateClient();
        app.WaitUntilIdle();

        await app.RunDrillAsync(client, "disk-full");
        app.WaitUntilBackingOff();
        for (var i = 0; i < 10; i++) (await client.GetAsync($"/hello/{i}")).EnsureSuccessStatusCode();
        await app.RunDrillAsync(client, "heal");
        await app.StopAsync().WaitAsync(Wait.HangGuard);

        var s = app.MainSink.GetSnapshot();
        var lines = app.LogLines();
        var counted = lines.Where(l => l.Contains($"NonBlockingLog sink {app.Main} dropped", StringComparison.Ordinal))
            .Sum(l => long.Parse(l.Split(" dropped ")[1].Split(' ')[0]));
        Assert.True(s.Dropped >= 18, $"{s.Dropped} dropped");
        Assert.Equal(s.Dropped, counted);
        Assert.Equal(s.Written + s.DropNotices, lines.Length);
    }
}
