using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NonBlockingLog.AspNetCore;
using NonBlockingLog.Tests.AspNetCore;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.Flooding;

/// <summary>The flooding templates in the health check, the diagnostics endpoint and live tuning of the ASP.NET package.</summary>
[Collection(StaticLoggerCollection.Name)]
public sealed class FloodReportTests
{
    static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    static readonly HealthRules Rules = HealthRules.Create(null, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1));

    static string Key(string setting) => $"Serilog:WriteTo:File:Args:{setting}";

    static NonBlockingLogSnapshot Snapshot(params FloodingTemplate[] floods) => new()
    {
        Name = "floods",
        State = SinkState.Running,
        Phase = ConsumerPhase.Waiting,
        PhaseSince = Now,
        LastProgress = Now,
        LastError = null,
        LastErrorAt = null,
        LastDropAt = null,
        FaultRestarts = 0,
        StallRestarts = 0,
        Stalls = 0,
        Capacity = 100,
        FullMode = QueueFullMode.DropNewest,
        WaitTimeout = TimeSpan.FromMilliseconds(100),
        ReservedForWarnings = 20,
        FloodLimit = 1_000,
        FloodingTemplates = floods,
        QueueDepth = 0,
        InFlight = 0,
        Enqueued = 0,
        Written = 0,
        DroppedByReason = Enum.GetValues<DropReason>().ToDictionary(r => r, _ => 0L),
        DropNotices = 0,
    };

    static FloodingTemplate Flood(string template, long suppressed, TimeSpan ago) =>
        new() { Template = template, Suppressed = suppressed, LastFloodAt = Now - ago };

    [Fact]
    public void Judge_RecentFlood_IsDegradedNamingTheTemplates()
    {
        var verdict = Rules.Judge(Snapshot(
            Flood("unknown event {Kind} from watcher {Watcher}", 1_234_567, TimeSpan.FromSeconds(2)),
            Flood("cache miss for {Key}", 40, TimeSpan.FromSeconds(30)),
            Flood("an old flood {Number}", 9, TimeSpan.FromMinutes(5))), Now);

        Assert.Equal(HealthStatus.Degraded, verdict.Status);
        var reason = Assert.Single(verdict.Reasons);
        Assert.Equal(
            "templates over floodLimit (1000 events a second) in the last 60.0 s, their excess suppressed: " +
            "'unknown event {Kind} from watcher {Watcher}' (1234567 suppressed, last at 2026-01-01T11:59:58.000Z), " +
            "'cache miss for {Key}' (40 suppressed, last at 2026-01-01T11:59:30.000Z)",
            reason);
    }

    [Fact]
    public void Judge_FloodOutsideTheRecentWindow_IsHealthy()
    {
        var verdict = Rules.Judge(Snapshot(Flood("an old flood {Number}", 9, TimeSpan.FromMinutes(5))), Now);

        Assert.Equal(HealthStatus.Healthy, verdict.Status);
    }

    [Fact]
    public void Describe_ListsFloodLimitAndEachFloodingTemplate()
    {
        var report = SinkReport.Describe(Rules.Judge(Snapshot(Flood("cache miss for {Key}", 40, TimeSpan.FromSeconds(30))), Now));

        Assert.Equal(1_000, report["floodLimit"]);
        var flood = Assert.Single((IEnumerable<IReadOnlyDictionary<string, object?>>)report["floodingTemplates"]!);
        Assert.Equal(["template", "suppressed", "lastFloodAt"], flood.Keys);
        Assert.Equal("cache miss for {Key}", flood["template"]);
        Assert.Equal(40L, flood["suppressed"]);
        Assert.Equal(Now - TimeSpan.FromSeconds(30), flood["lastFloodAt"]);
    }

    [Fact]
    public async Task DiagnosticsAndHealth_WhenACallSiteFloods_NameItsTemplate()
    {
        await using var app = new SampleApp(fileArgs: args => args["floodLimit"] = 2);
        app.Start();
        var client = app.CreateClient();
        for (var i = 0; i < 50; i++) (await client.GetAsync($"/hello/{i}")).EnsureSuccessStatusCode();
        app.WaitUntilIdle();

        var body = await client.GetFromJsonAsync<JsonElement>("/diagnostics/logging");
        var main = body.GetProperty("sinks").EnumerateArray().Single(s => s.GetProperty("name").GetString() == app.Main);
        Assert.Equal(2, main.GetProperty("floodLimit").GetInt32());
        Assert.True(main.GetProperty("droppedByReason").GetProperty("flood_limit").GetInt64() > 0);
        var templates = main.GetProperty("floodingTemplates").EnumerateArray().Select(f => f.GetProperty("template").GetString()).ToArray();
        Assert.Contains("Saying hello to {Name}", templates);

        var description = await app.AssertHealthAsync(client, HttpStatusCode.OK, "Degraded");
        Assert.Contains("'Saying hello to {Name}' (", description, StringComparison.Ordinal);
        Assert.Contains("templates over floodLimit (2 events a second)", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_FloodLimit_AppliesLiveAndARemovedKeyRestoresTheDefault()
    {
        await using var app = new SampleApp();
        app.Start();

        // Edited in appsettings.json itself, so that the key can be removed again.
        void EditFile(Action<JsonObject> edit)
        {
            var settings = JsonNode.Parse(File.ReadAllText(app.SettingsPath))!.AsObject();
            edit(settings["Serilog"]!["WriteTo"]!["File"]!["Args"]!.AsObject());
            File.WriteAllText(app.SettingsPath, settings.ToJsonString());
            app.Configuration.Reload();
        }

        EditFile(args => args["floodLimit"] = 500);
        Assert.Equal(500, app.MainSink.GetSnapshot().FloodLimit);
        EditFile(args => args["floodLimit"] = -1);
        Assert.Equal(500, app.MainSink.GetSnapshot().FloodLimit);
        EditFile(args => args.Remove("floodLimit"));
        Assert.Equal(100_000, app.MainSink.GetSnapshot().FloodLimit);
        await app.StopAsync();

        var lines = app.LogLines()
            .Where(l => l.Contains("PolicyReloader", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(": ", l.IndexOf("PolicyReloader", StringComparison.Ordinal), StringComparison.Ordinal) + 2)..]);
        Assert.Equal(
        [
            $"NonBlockingLog sink {app.Main}: floodLimit changed from 100000 to 500 while running (configuration reloaded)",
            $"NonBlockingLog sink {app.Main}: floodLimit -1 is not valid, so it keeps 500: floodLimit must be at least 0 (the most events of one message template written per second); 0 turns the flood guard off, and the default is 100000.",
            $"NonBlockingLog sink {app.Main}: floodLimit changed from 500 to 100000 while running (configuration reloaded)",
        ], lines);
    }
}
