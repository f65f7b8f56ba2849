using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.AspNetCore;

/// <summary>The diagnostics JSON, and the fault drill endpoints that feed it.</summary>
[Collection(StaticLoggerCollection.Name)]
public sealed class DiagnosticsTests
{
    static async Task<JsonElement> GetDiagnostics(HttpClient client, string sink)
    {
        var body = await client.GetFromJsonAsync<JsonElement>("/diagnostics/logging");
        return body.GetProperty("sinks").EnumerateArray().Single(s => s.GetProperty("name").GetString() == sink);
    }

    [Fact]
    public async Task Diagnostics_AfterARequest_ShowsEverySinkWithItsStateCountersAndPolicyInCamelCase()
    {
        await using var app = new SampleApp();
        app.Start();
        var client = app.CreateClient();
        (await client.GetAsync("/hello/you")).EnsureSuccessStatusCode();
        app.WaitUntilIdle();

        using var response = await client.GetAsync("/diagnostics/logging");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(["status", "description", "checkedAt", "missing", "sinks"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal([app.Console, app.Main], body.GetProperty("sinks").EnumerateArray().Select(s => s.GetProperty("name").GetString()));

        var main = await GetDiagnostics(client, app.Main);
        Assert.Equal(
            ["name", "status", "reasons", "state", "phase", "phaseSince", "lastProgress", "capacity", "fullMode", "waitTimeout",
             "reservedForWarnings", "floodLimit", "queueDepth", "queueSizeLimitBytes", "queuedBytes", "inFlight", "pending", "enqueued", "written", "dropped", "droppedByReason",
             "lastDropAt", "dropNotices", "floodingTemplates", "restarts", "stalls", "lastError", "lastErrorAt"],
            main.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Running", main.GetProperty("state").GetString());
        Assert.Equal("Waiting", main.GetProperty("phase").GetString());
        Assert.Equal(10000, main.GetProperty("capacity").GetInt32());
        Assert.Equal("Wait", main.GetProperty("fullMode").GetString());
        Assert.Equal("00:00:00.1000000", main.GetProperty("waitTimeout").GetString());
        Assert.True(main.GetProperty("written").GetInt64() >= 2);
        Assert.Equal(
            ["queue_full", "wait_timeout", "disposed", "sink_failure", "shutdown_timeout", "consumer_unavailable", "level_reserve", "memory_limit", "flood_limit"],
            main.GetProperty("droppedByReason").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["fault", "stall"], main.GetProperty("restarts").EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, main.GetProperty("lastError").ValueKind);
        AssertIso8601(main.GetProperty("phaseSince").GetString()!);
        AssertIso8601(main.GetProperty("lastProgress").GetString()!);
        AssertIso8601(body.GetProperty("checkedAt").GetString()!);
    }

    static void AssertIso8601(string value) =>
        Assert.True(DateTimeOffset.TryParseExact(value, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out _), value);

    [Fact]
    public async Task Diagnostics_AfterCrashAndStallDrills_ShowRestartsStallsAndTheLastError()
    {
        // The real watchdog, with a stall timeout short enough to act within the test.
        await using var app = new SampleApp(fileArgs: args => args["stallTimeout"] = "00:00:00.300");
        app.Start();
        var client = app.CreateClient();

        await app.RunDrillAsync(client, "crash");
        app.WaitUntilRestartedAfterCrash();
        await app.RunDrillAsync(client, "stall");
        Wait.Until(() => app.MainSink.GetSnapshot() is { StallRestarts: 1, State: SinkState.Running }, "the stalled consumer is replaced");
        app.WaitUntilIdle();

        var main = await GetDiagnostics(client, app.Main);
        Assert.Equal(1, main.GetProperty("restarts").GetProperty("fault").GetInt64());
        Assert.Equal(1, main.GetProperty("restarts").GetProperty("stall").GetInt64());
        Assert.Equal(1, main.GetProperty("stalls").GetInt64());
        Assert.Equal("Fault drill: consumer crash.", main.GetProperty("lastError").GetString());
        AssertIso8601(main.GetProperty("lastErrorAt").GetString()!);
        Assert.Equal("Degraded", main.GetProperty("status").GetString());
        Assert.Equal(0, main.GetProperty("dropped").GetInt64());

        // Release the abandoned writer's thread; the replacement already wrote everything.
        await app.RunDrillAsync(client, "heal");
        await app.StopAsync();
        Assert.Equal(0, app.MainSink.GetSnapshot().Dropped);
        Assert.Single(app.LogLines(), l => l.Contains($"HTTP POST /drills/{app.Main}/stall responded 200", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Drills_ForAnUnknownSink_Are404()
    {
        await using var app = new SampleApp();
        app.Start();

        using var response = await app.CreateClient().PostAsync("/drills/no-such-sink/crash", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no running NonBlockingLog sink is named no-such-sink", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drills_OutsideDevelopment_AreNotMapped()
    {
        await using var app = new SampleApp(environment: "Production");
        app.Start();

        using var response = await app.CreateClient().PostAsync($"/drills/{app.Main}/crash", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, app.MainSink.GetSnapshot().FaultRestarts);
    }

    [Fact]
    public void MapNonBlockingLogFaultDrills_OutsideDevelopment_Throws()
    {
        var app = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Staging" }).Build();

        var thrown = Assert.Throws<InvalidOperationException>(() => app.MapNonBlockingLogFaultDrills());

        Assert.Contains("only in the Development environment, not in Staging", thrown.Message, StringComparison.Ordinal);
    }
}
