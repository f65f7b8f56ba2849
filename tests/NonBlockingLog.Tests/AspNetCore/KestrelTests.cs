using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.AspNetCore;

/// <summary>
/// The sample as a user runs it: real Kestrel on 127.0.0.1 and a free port, driven over HTTP, its appsettings.json
/// edited on disk; then stopped, and its log counted. (The health drills run on Kestrel too, in HealthCheckTests.)
/// </summary>
[Collection(StaticLoggerCollection.Name)]
public sealed class KestrelTests
{
    [Fact]
    public async Task Sample_OnKestrel_ServesOverTheNetworkAndWritesEveryLineWhenStopped()
    {
        await using var app = new SampleApp(developmentSettings: true, kestrel: true);
        app.Start();
        Assert.Equal("127.0.0.1", app.ServerAddress.Host);
        Assert.NotEqual(0, app.ServerAddress.Port);
        using var client = app.CreateHostClient();

        const int Requests = 20;
        for (var i = 0; i < Requests; i++) Assert.Equal($"Hello, {i}!", await client.GetStringAsync($"/hello/{i}"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        var diagnostics = await client.GetFromJsonAsync<JsonElement>("/diagnostics/logging");
        Assert.Contains(diagnostics.GetProperty("sinks").EnumerateArray(), s => s.GetProperty("name").GetString() == app.Main);

        await app.StopAsync();
        var lines = app.LogLines();
        Assert.Equal(Requests, lines.Count(l => l.Contains("Saying hello to", StringComparison.Ordinal)));
        Assert.Equal(Requests, lines.Count(l => l.Contains("HTTP GET /hello/", StringComparison.Ordinal)));
        var s = app.MainSink.GetSnapshot();
        Assert.Equal(0, s.Dropped);
        Assert.Equal(s.Enqueued, s.Written);
        Assert.Equal(s.Written, lines.Length);
    }

    [Fact]
    public async Task Sample_OnKestrelWithItsAppSettingsFileEdited_TunesTheRunningSink()
    {
        await using var app = new SampleApp(kestrel: true);
        app.Start();
        using var client = app.CreateHostClient();

        // appsettings.json reloads on change: a file watcher acts on the edit.
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(app.SettingsPath))!;
        settings["Serilog"]!["WriteTo"]!["File"]!["Args"]!["fullMode"] = "DropOldest";
        await File.WriteAllTextAsync(app.SettingsPath, settings.ToJsonString());
        Wait.Until(() => app.MainSink.GetSnapshot().FullMode == QueueFullMode.DropOldest, "the edited fullMode reaches the running sink");
        (await client.GetAsync("/hello/after")).EnsureSuccessStatusCode();

        await app.StopAsync();
        var lines = app.LogLines();
        Assert.Single(lines, l => l.Contains($"NonBlockingLog sink {app.Main}: fullMode changed from Wait to DropOldest while running", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Saying hello to after", StringComparison.Ordinal));
    }
}
