using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Settings.Configuration;

namespace NonBlockingLog.Tests.AspNetCore;

/// <summary>Live tuning: settings edited in configuration reach the running sink, or say why they cannot.</summary>
[Collection(StaticLoggerCollection.Name)]
public sealed class PolicyReloadTests
{
    static string Key(string setting) => $"Serilog:WriteTo:File:Args:{setting}";

    [Fact]
    public async Task Reload_ChangedPolicy_AppliesToTheRunningSinkWithOneLineEachAndNamesWhatNeedsARestart()
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
            $"[INF] NonBlockingLog.AspNetCore.PolicyReloader: NonBlockingLog sink {app.Main}: reservedForWarnings changed from 2000 to 100 while running (configuration reloaded)",
            $"[WRN] NonBlockingLog.AspNetCore.PolicyReloader: NonBlockingLog sink {app.Main}: capacity cannot change while the sink runs (running with 10000, configured 20000); restart to apply",
            $"[WRN] NonBlockingLog.AspNetCore.PolicyReloader: NonBlockingLog sink {app.Main}: stallTimeout cannot change while the sink runs (running with the default, configured 00:00:30); restart to apply",
        ], lines);
    }

    static string[] ReloaderLines(SampleApp app) => app.LogLines()
        .Where(l => l.Contains("PolicyReloader", StringComparison.Ordinal))
        .Select(l => l[(l.IndexOf(": ", l.IndexOf("PolicyReloader", StringComparison.Ordinal), StringComparison.Ordinal) + 2)..])
        .ToArray();

    [Fact]
    public async Task Reload_EnumNamesInAnyLetterCase_ApplyAsAtStartup()
    {
        await using var app = new SampleApp();
        app.Start();

        app.Reconfigure((Key("fullMode"), "dropoldest"));

        Assert.Equal(QueueFullMode.DropOldest, app.MainSink.GetSnapshot().FullMode);
        await app.StopAsync();
        Assert.Equal([$"NonBlockingLog sink {app.Main}: fullMode changed from Wait to DropOldest while running (configuration reloaded)"], ReloaderLines(app));
    }

    [Fact]
    public async Task Reload_InvalidLiveValues_KeepThePolicyAndSayWhatIsValid()
    {
        await using var app = new SampleApp();
        app.Start();

        app.Reconfigure(
            (Key("fullMode"), "Sometimes"),
            (Key("waitTimeout"), "abc"),
            (Key("reservedForWarnings"), "10000"));
        app.Reconfigure((Key("waitTimeout"), "00:00:00"));

        var s = app.MainSink.GetSnapshot();
        Assert.Equal(QueueFullMode.Wait, s.FullMode);
        Assert.Equal(TimeSpan.FromMilliseconds(100), s.WaitTimeout);
        Assert.Equal(2000, s.ReservedForWarnings);

        // The host goes on serving and logging.
        (await app.CreateClient().GetAsync("/hello/still")).EnsureSuccessStatusCode();
        await app.StopAsync();
        Assert.Equal(
        [
            $"NonBlockingLog sink {app.Main}: fullMode Sometimes is not valid, so it keeps Wait: fullMode must be one of DropNewest, DropOldest, Wait (in any letter case); \"Sometimes\" is not one.",
            $"NonBlockingLog sink {app.Main}: waitTimeout abc is not valid, so it keeps 00:00:00.1000000: waitTimeout must be a duration such as \"00:00:00.100\" (hh:mm:ss, optionally with days d. before and a fraction .fff after); \"abc\" is not one.",
            $"NonBlockingLog sink {app.Main}: reservedForWarnings 10000 is not valid, so it keeps 2000: reservedForWarnings must be at least 0 and less than capacity (10000); 0 turns the reserve off, and the default is a fifth of capacity (2000).",
            $"NonBlockingLog sink {app.Main}: waitTimeout 00:00:00 is not valid, so it keeps 00:00:00.1000000: waitTimeout must be a positive duration of at most 25 days, such as \"00:00:00.100\".",
        ], ReloaderLines(app));
        Assert.Contains(app.LogLines(), l => l.Contains("Saying hello to still", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reload_InvalidRestartSettingOrUnknownKey_SaysItIsNotValidRatherThanRestart()
    {
        await using var app = new SampleApp();
        app.Start();

        app.Reconfigure(
            (Key("capacity"), "-5"),
            (Key("capacty"), "20000"),
            (Key("stallTimeout"), "soon"));

        await app.StopAsync();
        Assert.Equal(
        [
            $"NonBlockingLog sink {app.Main}: capacity -5 is not valid: capacity must be at least 1 (the number of events held in memory).",
            $"NonBlockingLog sink {app.Main}: capacty 20000 is not valid: NonBlockingFile has no setting \"capacty\"; did you mean \"capacity\"?",
            $"NonBlockingLog sink {app.Main}: stallTimeout soon is not valid: stallTimeout must be a duration such as \"00:00:00.100\" (hh:mm:ss, optionally with days d. before and a fraction .fff after); \"soon\" is not one.",
        ], ReloaderLines(app));
    }

    [Fact]
    public async Task Reload_ProblemThatStays_IsReportedOnce()
    {
        await using var app = new SampleApp();
        app.Start();

        app.Reconfigure((Key("capacity"), "-5"));
        app.Reconfigure();
        app.Reconfigure((Key("fullMode"), "DropOldest"));

        await app.StopAsync();
        Assert.Equal(
        [
            $"NonBlockingLog sink {app.Main}: capacity -5 is not valid: capacity must be at least 1 (the number of events held in memory).",
            $"NonBlockingLog sink {app.Main}: fullMode changed from Wait to DropOldest while running (configuration reloaded)",
        ], ReloaderLines(app));
    }

    [Fact]
    public async Task Reload_ProblemOfAnUnnamedOrWrappedEntry_IsReportedOnItsOwnOnce()
    {
        await using var app = new SampleApp();
        app.Start();

        app.Reconfigure(
            ("Serilog:WriteTo:Console:Args:configure:1:Name", "NonBlockingFile"),
            ("Serilog:WriteTo:Extra:Name", "NonBlockingFile"),
            ("Serilog:WriteTo:Extra:Args:path", "unused.log"),
            ("Serilog:WriteTo:Extra:Args:capacity", "0"));
        app.Reconfigure(("Serilog:WriteTo:Extra:Args:fullMode", "Wait"));

        await app.StopAsync();
        Assert.Equal(
        [
            $"NonBlockingLog sink {app.Console}: configure cannot change while the sink runs (running with 0:Name=Console, configured 0:Name=Console;1:Name=NonBlockingFile); restart to apply",
            "The NonBlockingFile sink at Serilog:WriteTo:Extra has no name, so its new settings cannot be applied while it runs; give it a \"name\" and restart",
            "NonBlockingLog configuration problem after a reload, so the running sinks keep their settings: Serilog:WriteTo:Console:Args:configure:1:Args:path: path is required: the log file to write, such as \"logs/app-.log\".",
            "NonBlockingLog configuration problem after a reload, so the running sinks keep their settings: Serilog:WriteTo:Extra:Args:capacity: capacity must be at least 1 (the number of events held in memory).",
            "The NonBlockingFile sink at Serilog:WriteTo:Extra has no name, so its new settings cannot be applied while it runs; give it a \"name\" and restart",
        ], ReloaderLines(app));
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

    [Fact]
    public async Task Reload_OfTheSectionGivenToAddNonBlockingLog_AppliesToItsSinks()
    {
        var name = Some.UniqueName("section");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:Serilog:Using:0"] = "NonBlockingLog",
            ["Logging:Serilog:Using:1"] = "NonBlockingLog.Tests",
            ["Logging:Serilog:WriteTo:0:Name"] = "NonBlocking",
            ["Logging:Serilog:WriteTo:0:Args:name"] = name,
            ["Logging:Serilog:WriteTo:0:Args:configure:0:Name"] = "Collecting",
            ["Logging:Serilog:WriteTo:0:Args:configure:0:Args:key"] = "unused",
        });
        builder.Services.AddNonBlockingLog(builder.Configuration, "Logging:Serilog");
        using var logger = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration, new ConfigurationReaderOptions { SectionName = "Logging:Serilog" })
            .CreateLogger();
        using var host = builder.Build();
        await host.StartAsync();

        var root = (IConfigurationRoot)builder.Configuration;
        root.Providers.OfType<MemoryConfigurationProvider>().Last().Set("Logging:Serilog:WriteTo:0:Args:fullMode", "wait");
        root.Reload();

        Assert.Equal(QueueFullMode.Wait, NonBlockingLogSinks.Find(name)!.GetSnapshot().FullMode);
        await host.StopAsync();
    }

    [Fact]
    public void AddNonBlockingLog_WithInvalidSettings_ThrowsListingThemBeforeAnythingIsRegistered()
    {
        var services = new ServiceCollection();
        var config = AppSettings.WithSink("""{ "Name": "NonBlockingFile", "Args": { "path": "app.log", "capacty": 5, "waitTimeout": "abc" } }""");

        var thrown = Assert.Throws<InvalidOperationException>(() => services.AddNonBlockingLog(config));

        Assert.Equal(string.Join(Environment.NewLine,
            "The NonBlockingLog sinks in the \"Serilog\" configuration section have 2 problems:",
            "  Serilog:WriteTo:0:Args:capacty: NonBlockingFile has no setting \"capacty\"; did you mean \"capacity\"?",
            "  Serilog:WriteTo:0:Args:waitTimeout: waitTimeout must be a duration such as \"00:00:00.100\" (hh:mm:ss, optionally with days d. before and a fraction .fff after); \"abc\" is not one."), thrown.Message);
        Assert.Empty(services);
    }

    [Fact]
    public void AddNonBlockingLog_WithASectionName_ChecksThatSectionOnly()
    {
        var config = AppSettings.FromJson("""
            {
              "Serilog": { "WriteTo": [ { "Name": "NonBlockingFile", "Args": { "path": "app.log", "capacity": 0 } } ] },
              "Other": { "WriteTo": [ { "Name": "NonBlockingFile", "Args": { "path": "app.log" } } ] }
            }
            """);

        new ServiceCollection().AddNonBlockingLog(config, "Other");
        var thrown = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddNonBlockingLog(config));

        Assert.Contains("Serilog:WriteTo:0:Args:capacity: capacity must be at least 1", thrown.Message, StringComparison.Ordinal);
    }
}
