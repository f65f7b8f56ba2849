using System.Net.Http.Json;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NonBlockingLog.Tests.Consumption;
using NonBlockingLog.Consumption;
using NonBlockingLog.Supervision;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.AspNetCore;

/// <summary>
/// Each health transition, driven by the fault drills: first through the sample's /health over HTTP (the real
/// watchdog, the app's clock a manual one registered in DI), then for the short-lived states (Faulted, Stalled,
/// Restarting) on sinks whose supervision the test drives itself.
/// </summary>
[Collection(StaticLoggerCollection.Name)]
public sealed class HealthCheckTests
{
    // The sinks' own timestamps come from the system clock; the health check reads "now" from this one, which
    // starts at the real time and only moves forward when a test says so.
    static ManualTimeProvider ClockFromNow() => new(DateTimeOffset.UtcNow);

    static Action<JsonObject> Settings(string progressTimeout = "00:00:05", string recentWindow = "00:01:00", Action<JsonNode>? mainArgs = null) => settings =>
    {
        settings["LoggingHealth"] = new JsonObject { ["ProgressTimeout"] = progressTimeout, ["RecentWindow"] = recentWindow };
        mainArgs?.Invoke(settings["Serilog"]!["WriteTo"]!["File"]!["Args"]!);
    };

    /// <summary>
    /// GETs /health, checks the status code and status, and returns the description. Unless the test holds the
    /// consumer stuck, it first waits until the previous requests' log lines are written: the test's clock runs
    /// ahead of the system's, so anything still pending would look stuck for as long as the clock was advanced.
    /// </summary>
    internal static async Task<string> AssertHealth(SampleApp app, HttpClient client, HttpStatusCode code, string status, bool stuck = false)
    {
        if (!stuck) app.WaitUntilIdle();
        using var response = await client.GetAsync("/health");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var description = body.GetProperty("checks").GetProperty("nonblockinglog").GetProperty("description").GetString()!;
        Assert.True(response.StatusCode == code && body.GetProperty("status").GetString() == status,
            $"expected {(int)code} {status}, got {(int)response.StatusCode} {body.GetProperty("status")}: {description}");
        return description;
    }

    [Fact]
    public async Task Health_CrashDrill_IsDegradedWhileTheErrorIsRecentThenHealthy()
    {
        var time = ClockFromNow();
        await using var app = new SampleApp(Settings(progressTimeout: "01:00:00"), time);
        app.Start();
        var client = app.CreateClient();
        await AssertHealth(app, client, HttpStatusCode.OK, "Healthy");

        (await client.PostAsync($"/drills/{app.Main}/crash", null)).EnsureSuccessStatusCode();
        Some.Eventually(() => app.MainSink.GetSnapshot() is { FaultRestarts: 1, State: SinkState.Running }, "the supervisor restarts the crashed consumer");
        app.WaitUntilIdle();

        var degraded = await AssertHealth(app, client, HttpStatusCode.OK, "Degraded");
        Assert.Contains("Fault drill: consumer crash", degraded, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(2));
        await AssertHealth(app, client, HttpStatusCode.OK, "Healthy");

        await app.StopAsync();
        Assert.Single(app.LogLines(), l => l.Contains($"HTTP POST /drills/{app.Main}/crash responded 200", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_StallDrill_IsUnhealthyUntilHealed()
    {
        var time = ClockFromNow();
        await using var app = new SampleApp(Settings(mainArgs: args => args["stallTimeout"] = "00:10:00"), time);
        app.Start();
        var client = app.CreateClient();

        (await client.PostAsync($"/drills/{app.Main}/stall", null)).EnsureSuccessStatusCode();
        Some.Eventually(() => app.MainSink.GetSnapshot() is { Phase: ConsumerPhase.Writing, Pending: > 0 }, "the consumer hangs in a write");
        time.Advance(TimeSpan.FromMinutes(1));

        var stalled = await AssertHealth(app, client, HttpStatusCode.ServiceUnavailable, "Unhealthy", stuck: true);
        Assert.Contains($"sink {app.Main} is Unhealthy: no progress for", stalled, StringComparison.Ordinal);

        (await client.PostAsync($"/drills/{app.Main}/heal", null)).EnsureSuccessStatusCode();
        app.WaitUntilIdle();
        await AssertHealth(app, client, HttpStatusCode.OK, "Healthy");

        await app.StopAsync();
        var s = app.MainSink.GetSnapshot();
        Assert.Equal(0, s.Dropped);
        Assert.Equal(0, s.Stalls);
    }

    [Fact]
    public async Task Health_DiskFullDrill_IsDegradedThenUnhealthyThenRecovers_WithEveryEventAccounted()
    {
        var time = ClockFromNow();
        await using var app = new SampleApp(Settings(mainArgs: args =>
        {
            args["capacity"] = 3;
            args["fullMode"] = "DropNewest";
        }), time);
        app.Start();
        var client = app.CreateClient();
        app.WaitUntilIdle();

        (await client.PostAsync($"/drills/{app.Main}/disk-full", null)).EnsureSuccessStatusCode();
        Some.Eventually(() => app.MainSink.GetSnapshot().Phase == ConsumerPhase.BackingOff, "the consumer backs off");
        var retrying = await AssertHealth(app, client, HttpStatusCode.OK, "Degraded", stuck: true);
        Assert.Contains("being retried: Fault drill: no space left on device", retrying, StringComparison.Ordinal);

        for (var i = 0; i < 5; i++) (await client.GetAsync($"/hello/{i}")).EnsureSuccessStatusCode();
        Assert.True(app.MainSink.GetSnapshot().DroppedByReason[DropReason.QueueFull] > 0);
        time.Advance(TimeSpan.FromMinutes(1));
        var broken = await AssertHealth(app, client, HttpStatusCode.ServiceUnavailable, "Unhealthy", stuck: true);
        Assert.Contains("no progress for", broken, StringComparison.Ordinal);

        (await client.PostAsync($"/drills/{app.Main}/heal", null)).EnsureSuccessStatusCode();
        app.WaitUntilIdle();
        var recovered = await AssertHealth(app, client, HttpStatusCode.OK, "Degraded");
        Assert.Contains("events were dropped", recovered, StringComparison.Ordinal);
        time.Advance(TimeSpan.FromMinutes(2));
        await AssertHealth(app, client, HttpStatusCode.OK, "Healthy");

        // Nothing lost that was not counted: every written event is a line, and the drop notices say how many
        // were dropped.
        await app.StopAsync();
        var s = app.MainSink.GetSnapshot();
        var lines = app.LogLines();
        var notices = lines.Where(l => l.Contains($"NonBlockingLog sink {app.Main} dropped", StringComparison.Ordinal)).ToArray();
        Assert.True(s.Written + s.DropNotices == lines.Length, string.Join("\n", lines));
        Assert.Equal(s.DropNotices, notices.Length);
        Assert.Equal(s.Dropped, notices.Sum(n => long.Parse(n.Split(" dropped ")[1].Split(' ')[0])));
        Assert.Equal(s.Enqueued, s.Written + s.DroppedByReason[DropReason.ShutdownTimeout]);
    }

    // The states below last milliseconds under the real watchdog; here the test is the watchdog.

    [Fact]
    public async Task Health_ConsumerFaultedThenRestarting_IsUnhealthyThenDegradedThenHealthy()
    {
        var time = new ManualTimeProvider();
        var name = "health-" + Guid.NewGuid().ToString("n");
        using var services = HealthServices(name, time);
        var sink = NonBlockingSinkTests.Create(new CollectingSink(), Some.Options(time: time, name: name));
        Assert.Equal(HealthStatus.Healthy, (await Check(services)).Status);

        sink.Supervisor.Drills.Run(FaultDrill.Crash);
        sink.Emit(Some.Event(1));
        Some.Eventually(() => sink.GetSnapshot().State == SinkState.Faulted, "the drill crashes the consumer");
        var faulted = await Check(services);
        Assert.Equal(HealthStatus.Unhealthy, faulted.Status);
        Assert.Contains("the consumer died (Fault drill: consumer crash.)", faulted.Description, StringComparison.Ordinal);

        sink.Supervisor.CheckOnce();
        Assert.Equal(SinkState.Restarting, sink.GetSnapshot().State);
        Assert.Equal(HealthStatus.Degraded, (await Check(services)).Status);

        time.Advance(Backoff.MaxDelayFor(1));
        sink.Supervisor.CheckOnce();
        Some.Eventually(() => sink.GetSnapshot() is { Written: 1, State: SinkState.Running }, "the restarted consumer writes the event");
        var recovering = await Check(services);
        Assert.Equal(HealthStatus.Degraded, recovering.Status);
        Assert.Contains("an error in the last 60.0 s", recovering.Description, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(1));
        var healthy = await Check(services);
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        var data = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(healthy.Data[name]);
        Assert.Equal("Running", data["state"]);
        Assert.Equal(1L, data["written"]);
        Assert.Equal(1L, ((IDictionary<string, long>)data["restarts"]!)["fault"]);
        Assert.Equal("Fault drill: consumer crash.", data["lastError"]);
        sink.Dispose();
    }

    [Fact]
    public async Task Health_ConsumerStalledAndNotReplaceable_IsUnhealthyUntilItMovesAgain()
    {
        var time = new ManualTimeProvider();
        var name = "health-" + Guid.NewGuid().ToString("n");
        using var services = HealthServices(name, time);
        var inner = new GatedSink();
        var options = Some.Options(time: time, name: name, stallTimeout: TimeSpan.FromSeconds(10));
        var built = 0;
        var sink = new NonBlockingSink(options, failures => Interlocked.Increment(ref built) == 1 ? new SinkBatchWriter(inner, failures) : throw new IOException("the share is gone"));

        sink.Emit(Some.Event(1));
        await inner.Entered.WaitAsync(TimeSpan.FromSeconds(30));
        sink.Supervisor.CheckOnce();
        time.Advance(TimeSpan.FromSeconds(10));
        sink.Supervisor.CheckOnce();

        Assert.Equal(SinkState.Stalled, sink.GetSnapshot().State);
        var stalled = await Check(services);
        Assert.Equal(HealthStatus.Unhealthy, stalled.Status);
        Assert.Contains("the consumer is stalled: 1 events pending", stalled.Description, StringComparison.Ordinal);

        inner.Release();
        Some.Eventually(() => sink.GetSnapshot() is { Written: 1, State: SinkState.Running }, "the stuck write returns");
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HealthStatus.Healthy, (await Check(services)).Status);
        sink.Dispose();
    }

    static ServiceProvider HealthServices(string sink, TimeProvider time)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(time);
        services.AddHealthChecks().AddNonBlockingLog(sinks: [sink]);
        return services.BuildServiceProvider();
    }

    static async Task<HealthReportEntry> Check(IServiceProvider services) =>
        (await services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["nonblockinglog"];
}
