using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.AspNetCore;

/// <summary>
/// The sample as a user runs it: real Kestrel on 127.0.0.1 and a free port, its Development settings, driven
/// over HTTP, its appsettings.json edited on disk; then stopped, and its log counted.
/// </summary>
[Collection(StaticLoggerCollection.Name)]
public sealed class KestrelTests
{
    [Fact]
    public async Task Sample_OnKestrel_ShowsAStallAndACrashAndTheirRecovery_TunesLive_AndFlushesOnStop()
    {
        await using var app = new SampleApp(developmentSettings: true, kestrel: true);
        app.Start();
        Assert.Equal("127.0.0.1", app.ServerAddress.Host);
        Assert.NotEqual(0, app.ServerAddress.Port);
        using var client = new HttpClient { BaseAddress = app.ServerAddress, Timeout = TimeSpan.FromSeconds(30) };

        const int Requests = 20;
        for (var i = 0; i < Requests; i++) Assert.Equal($"Hello, {i}!", await client.GetStringAsync($"/hello/{i}"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        var diagnostics = await client.GetFromJsonAsync<JsonElement>("/diagnostics/logging");
        Assert.Contains(diagnostics.GetProperty("sinks").EnumerateArray(), s => s.GetProperty("name").GetString() == app.Main);

        // A stall: Unhealthy once nothing moved for the Development progressTimeout (2 s), Healthy once healed.
        (await client.PostAsync($"/drills/{app.Main}/stall", null)).EnsureSuccessStatusCode();
        var unhealthy = await PollHealth(client, HttpStatusCode.ServiceUnavailable);
        Assert.Contains($"sink {app.Main} is Unhealthy: no progress for", unhealthy, StringComparison.Ordinal);
        (await client.PostAsync($"/drills/{app.Main}/heal", null)).EnsureSuccessStatusCode();
        await PollHealth(client, HttpStatusCode.OK);

        // A crash: restarted at once, and Degraded while the error is recent.
        (await client.PostAsync($"/drills/{app.Main}/crash", null)).EnsureSuccessStatusCode();
        Some.Eventually(() => app.MainSink.GetSnapshot() is { FaultRestarts: 1, State: SinkState.Running }, "the crashed consumer is restarted");
        var degraded = await client.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("Degraded", degraded.GetProperty("status").GetString());

        // Live tuning through the file itself: appsettings.json reloads on change (a file watcher acts).
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(app.SettingsPath))!;
        settings["Serilog"]!["WriteTo"]!["File"]!["Args"]!["fullMode"] = "DropOldest";
        await File.WriteAllTextAsync(app.SettingsPath, settings.ToJsonString());
        Some.Eventually(() => app.MainSink.GetSnapshot().FullMode == QueueFullMode.DropOldest, "the edited fullMode reaches the running sink");

        await app.StopAsync();
        var lines = app.LogLines();
        Assert.Equal(Requests, lines.Count(l => l.Contains("Saying hello to", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.Contains($"NonBlockingLog sink {app.Main}: fullMode changed from Wait to DropOldest while running", StringComparison.Ordinal));
        var s = app.MainSink.GetSnapshot();
        Assert.Equal(0, s.Dropped);
        Assert.Equal(s.Enqueued, s.Written);
        Assert.Equal(s.Written, lines.Length);
    }

    /// <summary>Polls /health until it answers <paramref name="code"/> (the watchdog and the clock must act); returns the body.</summary>
    static async Task<string> PollHealth(HttpClient client, HttpStatusCode code)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var response = await client.GetAsync("/health");
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == code) return body;
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for /health to answer {(int)code}; the last answer: {body}");
            await Task.Delay(100);
        }
    }
}
