using System.Text.RegularExpressions;
using NonBlockingLog.Tests.Support;
using Serilog;

namespace NonBlockingLog.Tests.Settings;

/// <summary>Both entry points bound from appsettings JSON through Serilog.Settings.Configuration.</summary>
public class ConfigurationTests
{
    [Fact]
    public void NonBlocking_FromAppSettings_BindsOptionsAndWritesThroughWrappedFile()
    {
        using var tmp = new TempFolder();
        var name = Some.UniqueName("main");
        var config = AppSettings.FromJson($$"""
            {
              "Serilog": {
                "Using": [ "NonBlockingLog" ],
                "WriteTo": [ {
                  "Name": "NonBlocking",
                  "Args": {
                    "capacity": 10000,
                    "fullMode": "Wait",
                    "waitTimeout": "00:00:00.100",
                    "name": "{{name}}",
                    "configure": [ { "Name": "File", "Args": { "path": {{AppSettings.Quote(tmp.File("app.log"))}} } } ]
                  }
                } ]
              }
            }
            """);

        INonBlockingLogInspector sink;
        using (var log = new LoggerConfiguration().ReadFrom.Configuration(config).CreateLogger())
        {
            sink = Assert.IsAssignableFrom<INonBlockingLogInspector>(NonBlockingLogSinks.Find(name));
            Assert.Equal(10_000, sink.GetSnapshot().Capacity);
            for (var i = 0; i < 3; i++) log.Information("Event {Number}", i);
        }

        var snapshot = sink.GetSnapshot();
        Assert.Equal(3, snapshot.Written);
        Assert.Equal(0, snapshot.Dropped);
        var lines = File.ReadAllLines(tmp.File("app.log"));
        Assert.Collection(lines,
            l => Assert.EndsWith("[INF] Event 0", l),
            l => Assert.EndsWith("[INF] Event 1", l),
            l => Assert.EndsWith("[INF] Event 2", l));
    }

    [Fact]
    public void NonBlocking_FromAppSettingsWrappingTestSink_DeliversEventsAndDisposesTheSink()
    {
        var key = Guid.NewGuid().ToString("n");
        var name = "wrap-" + key;
        var config = AppSettings.WithSink($$"""
            { "Name": "NonBlocking", "Args": { "name": "{{name}}", "configure": [ { "Name": "Collecting", "Args": { "key": "{{key}}" } } ] } }
            """);

        using (var log = new LoggerConfiguration().ReadFrom.Configuration(config).CreateLogger())
        {
            Assert.NotNull(NonBlockingLogSinks.Find(name));
            for (var i = 0; i < 5; i++) log.Information("Event {Number}", i);
        }

        var collected = TestSinkConfiguration.Built<CollectingSink>(key);
        Assert.Equal([0, 1, 2, 3, 4], collected.CallerNumbers);
        Assert.Equal(1, collected.Disposals);
    }

    // Capacity 1 and a consumer held inside the wrapped sink: event 1 is in flight, 2 fills the queue, and 3
    // finds it full. Which of 2 and 3 survives, and why the other is dropped, shows that fullMode was bound
    // (in any letter case, as Serilog.Settings.Configuration 10 parses enums).
    [Theory]
    [InlineData("DropNewest", new[] { 1, 2 }, DropReason.QueueFull)]
    [InlineData("DropOldest", new[] { 1, 3 }, DropReason.QueueFull)]
    [InlineData("Wait", new[] { 1, 2 }, DropReason.WaitTimeout)]
    [InlineData("dropnewest", new[] { 1, 2 }, DropReason.QueueFull)]
    [InlineData("dropoldest", new[] { 1, 3 }, DropReason.QueueFull)]
    [InlineData("WAIT", new[] { 1, 2 }, DropReason.WaitTimeout)]
    public async Task NonBlocking_FullModeFromAppSettings_DecidesWhichEventIsDropped(string fullMode, int[] kept, DropReason reason)
    {
        var key = Guid.NewGuid().ToString("n");
        var name = "full-" + key;
        var config = AppSettings.WithSink($$"""
            {
              "Name": "NonBlocking",
              "Args": {
                "capacity": 1, "fullMode": "{{fullMode}}", "waitTimeout": "00:00:00.050", "name": "{{name}}",
                "configure": [ { "Name": "Gated", "Args": { "key": "{{key}}" } } ]
              }
            }
            """);

        Assert.Empty(NonBlockingLogConfiguration.FindProblems(config));
        INonBlockingLogInspector sink;
        GatedSink gated;
        using (var log = new LoggerConfiguration().ReadFrom.Configuration(config).CreateLogger())
        {
            sink = NonBlockingLogSinks.Find(name)!;
            gated = TestSinkConfiguration.Built<GatedSink>(key);
            await gated.HoldConsumerAsync(() => log.Information("Event {Number}", 1));
            log.Information("Event {Number}", 2);
            log.Information("Event {Number}", 3);
            gated.Release();
        }

        Assert.Equal(kept, gated.CallerNumbers);
        var snapshot = sink.GetSnapshot();
        Assert.Equal(2, snapshot.Written);
        Assert.Equal(1, snapshot.DroppedByReason[reason]);
        Assert.Equal(1, snapshot.Dropped);
    }

    [Fact]
    public void NonBlockingFile_FromAppSettings_BindsEveryArgument()
    {
        using var tmp = new TempFolder();
        var name = Some.UniqueName("file");
        var config = AppSettings.FromJson($$"""
            {
              "Serilog": {
                "Using": [ "NonBlockingLog" ],
                "MinimumLevel": "Verbose",
                "WriteTo": [ {
                  "Name": "NonBlockingFile",
                  "Args": {
                    "path": {{AppSettings.Quote(tmp.File("app-.log"))}},
                    "rollingInterval": "Day",
                    "outputTemplate": "{Level:u3} {Message:lj}{NewLine}",
                    "fileSizeLimitBytes": 1048576,
                    "rollOnFileSizeLimit": true,
                    "retainedFileCountLimit": 5,
                    "flushToDiskInterval": "00:00:01",
                    "capacity": 10000,
                    "fullMode": "DropOldest",
                    "waitTimeout": "00:00:00.100",
                    "batchSizeLimit": 100,
                    "shutdownTimeout": "00:00:10",
                    "stallTimeout": "00:00:30",
                    "name": "{{name}}",
                    "restrictedToMinimumLevel": "Information"
                  }
                } ]
              }
            }
            """);

        INonBlockingLogInspector sink;
        using (var log = new LoggerConfiguration().ReadFrom.Configuration(config).CreateLogger())
        {
            sink = NonBlockingLogSinks.Find(name)!;
            Assert.Equal(10_000, sink.GetSnapshot().Capacity);
            log.Debug("Below the sink's level");
            for (var i = 0; i < 250; i++) log.Information("Event {Number}", i);
        }

        Assert.Equal(250, sink.GetSnapshot().Written);
        Assert.Equal(0, sink.GetSnapshot().Dropped);

        // rollingInterval Day puts the date in the name (two names only if the test straddles midnight).
        var files = LogFolder.Files(tmp.Path);
        Assert.All(files, f => Assert.Matches(@"^app-\d{8}\.log$", Path.GetFileName(f)));
        var lines = files.SelectMany(File.ReadAllLines).ToArray();
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"INF Event {i}"), lines);
    }

    [Fact]
    public void NonBlockingFile_FromAppSettingsWithPathOnly_UsesTheDefaults()
    {
        using var tmp = new TempFolder();
        var name = Some.UniqueName("defaults");
        var config = AppSettings.WithSink($$"""
            { "Name": "NonBlockingFile", "Args": { "path": {{AppSettings.Quote(tmp.File("app.log"))}}, "name": "{{name}}" } }
            """);

        INonBlockingLogInspector sink;
        using (var log = new LoggerConfiguration().ReadFrom.Configuration(config).CreateLogger())
        {
            sink = NonBlockingLogSinks.Find(name)!;
            log.Information("Event {Number}", 7);
        }

        Assert.Equal(10_000, sink.GetSnapshot().Capacity);
        Assert.Equal(1, sink.GetSnapshot().Written);
        var line = Assert.Single(File.ReadAllLines(tmp.File("app.log")));
        Assert.Matches(new Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} [+-]\d{2}:\d{2} \[INF\] Event 7$"), line);
    }
}
