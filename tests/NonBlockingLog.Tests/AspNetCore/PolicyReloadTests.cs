using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.AspNetCore;

/// <summary>Live tuning: settings edited in configuration reach the running sink, or say why they cannot.</summary>
[Collection(StaticLoggerCollection.Name)]
public sealed class PolicyReloadTests
{
    static string Key(string setting) => $"Serilog:WriteTo:File:Args:{setting}";

    [Fact]
    public async Task Reload_ChangedPolicy_AppliesToTheRunningSinkWithOneLineEach_AndNamesWhatNeedsARestart()
    {
        await using var app = new SampleApp();
        app.Start();
        Assert.Equal(QueueFullMode.Wait, app.MainSink.GetSnapshot().FullMode);

        app.Reconfigure(
            (Key("fullMode"), "DropOldest"),
            (Key("waitTimeout"), "00:00:00.250"),
            (Key("reservedForWarnings"), "100"),
            (Key("capacity"), "20000"),
            (Key("stallTimeout"), "00:00:30"));

        var s = app.MainSink.GetSnapshot();
        Assert.Equal(QueueFullMode.DropOldest, s.FullMode);
        Assert.Equal(TimeSpan.FromMilliseconds(250), s.WaitTimeout);
        Assert.Equal(100, s.ReservedForWarnings);
        Assert.Equal(10000, s.Capacity);

        // A second reload with nothing changed (file watchers often fire twice) says nothing.
        app.Reconfigure();
        (await app.CreateClient().GetAsync("/hello/after")).EnsureSuccessStatusCode();
        await app.StopAsync();

        var lines = app.LogLines().Where(l => l.Contains("PolicyReloader", StringComparison.Ordinal)).Select(l => l[(l.IndexOf('[', StringComparison.Ordinal))..]).ToArray();
        Assert.Equal(
        [
            $"[INF] NonBlockingLog.AspNetCore.PolicyReloader: NonBlockingLog sink {app.Main}: fullMode changed from Wait to DropOldest while running (configuration reloaded)",
            $"[INF] NonBlockingLog.AspNetCore.PolicyReloader: NonBlockingLog sink {app.Main}: waitTimeout changed from 00:00:00.1000000 to 00:00:00.2500000 while running (configuration reloaded)",
            $"[INF] NonBlockingLog.AspNetCore.PolicyReloader: NonBlockingLog sink {app.Main}: reservedForWarnings changed from 0 to 100 while running (configuration reloaded)",
            $"[WRN] NonBlockingLog.AspNetCore.PolicyReloader: NonBlockingLog sink {app.Main}: capacity cannot change while the sink runs (running with 10000, configured 20000); restart to apply",
            $"[WRN] NonBlockingLog.AspNetCore.PolicyReloader: NonBlockingLog sink {app.Main}: stallTimeout cannot change while the sink runs (running with the default, configured 00:00:30); restart to apply",
        ], lines);
    }

    [Fact]
    public async Task Reload_InvalidValues_KeepThePolicyAndSayWhy()
    {
        await using var app = new SampleApp();
        app.Start();

        app.Reconfigure(
            (Key("fullMode"), "dropoldest"),
            (Key("waitTimeout"), "00:00:00"),
            (Key("reservedForWarnings"), "10000"));

        var s = app.MainSink.GetSnapshot();
        Assert.Equal(QueueFullMode.Wait, s.FullMode);
        Assert.Equal(TimeSpan.FromMilliseconds(100), s.WaitTimeout);
        Assert.Equal(0, s.ReservedForWarnings);

        // The host goes on serving and logging.
        (await app.CreateClient().GetAsync("/hello/still")).EnsureSuccessStatusCode();
        await app.StopAsync();
        var lines = string.Join("\n", app.LogLines());
        Assert.Contains($"NonBlockingLog sink {app.Main}: fullMode dropoldest is not valid, so it keeps Wait: fullMode must be DropNewest, DropOldest or Wait (case-sensitive).", lines, StringComparison.Ordinal);
        Assert.Contains($"NonBlockingLog sink {app.Main}: waitTimeout 00:00:00 is not valid, so it keeps 00:00:00.1000000: waitTimeout must be a positive duration", lines, StringComparison.Ordinal);
        Assert.Contains($"NonBlockingLog sink {app.Main}: reservedForWarnings 10000 is not valid, so it keeps 0: reservedForWarnings must be at least 0 and less than capacity (10000)", lines, StringComparison.Ordinal);
        Assert.Contains("Saying hello to still", lines, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_NewOrRemovedSinks_SayTheyNeedARestart()
    {
        await using var app = new SampleApp();
        app.Start();

        app.Reconfigure(
            ("Serilog:WriteTo:Extra:Name", "NonBlocking"),
            ("Serilog:WriteTo:Extra:Args:name", "extra-" + app.Main),
            ("Serilog:WriteTo:Unnamed:Name", "NonBlockingFile"),
            ("Serilog:WriteTo:Unnamed:Args:path", "unused.log"));
        app.Reconfigure(("Serilog:WriteTo:Unnamed:Args:fullMode", "Wait"));

        await app.StopAsync();
        var lines = string.Join("\n", app.LogLines());
        Assert.Contains($"NonBlockingLog sink extra-{app.Main} is configured but not running; restart the app to start it", lines, StringComparison.Ordinal);
        Assert.Contains("The NonBlockingFile sink at Serilog:WriteTo:Unnamed has no name, so its new settings cannot be applied while it runs", lines, StringComparison.Ordinal);
    }
}
