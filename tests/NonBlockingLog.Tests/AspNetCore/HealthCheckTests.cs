using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Supervision;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.AspNetCore;

/// <summary>
/// Each health transition, driven by the fault drills: first through the sample's /health over HTTP (the real
/// watchdog, the app's clock a fake one registered in DI, so that a verdict that depends on time is reached by
/// advancing it), then for the short-lived states (Faulted, Stalled,
/// Restarting) on sinks whose supervision the test drives itself.
/// </summary>
[Collection(StaticLoggerCollection.Name)]
public sealed class HealthCheckTests
{
    // The same drills through the in-process test server and through real Kestrel on the loopback network.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Health_CrashDrill_IsDegradedWhileTheErrorIsRecentThenHealthy(bool kestrel)
    {
        var time = SampleApp.ClockFromNow();
        await using var app = new SampleApp(edit: settings => settings["LoggingHealth"]!["ProgressTimeout"] = "01:00:00", time: time, kestrel: kestrel);
        app.Start();
        using var client = app.CreateHostClient();
        await app.AssertHealthAsync(client, HttpStatusCode.OK, "Healthy");

        await app.RunDrillAsync(client, "crash");
        app.WaitUntilRestartedAfterCrash();

        var degraded = await app.AssertHealthAsync(client, HttpStatusCode.OK, "Degraded");
        Assert.Contains("Fault drill: consumer crash", degraded, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(2));
        await app.AssertHealthAsync(client, HttpStatusCode.OK, "Healthy");

        await app.StopAsync();
        Assert.Single(app.LogLines(), l => l.Contains($"HTTP POST /drills/{app.Main}/crash responded 200", StringComparison.Ordinal));
        var s = app.MainSink.GetSnapshot();
        Assert.Equal(0, s.Dropped);
        Assert.Equal(s.Enqueued, s.Written);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Health_StallDrill_IsUnhealthyAfterProgressTimeoutUntilHealed(bool kestrel)
    {
        var time = SampleApp.ClockFromNow();
        await using var app = new SampleApp(fileArgs: args => args["stallTimeout"] = "00:10:00", time: time, kestrel: kestrel);
        app.Start();
        using var client = app.CreateHostClient();

        await app.RunDrillAsync(client, "stall");
        app.WaitUntilHungInAWrite();
        await app.AssertHealthAsync(client, HttpStatusCode.OK, "Healthy", stuck: true);

        // Past progressTimeout (5 s) by far: the sinks' own timestamps come from the system clock, which the
        // fake one started from and which has moved on since.
        time.Advance(TimeSpan.FromMinutes(1));
        var stalled = await app.AssertHealthAsync(client, HttpStatusCode.ServiceUnavailable, "Unhealthy", stuck: true);
        Assert.Contains($"sink {app.Main} is Unhealthy: no progress for", stalled, StringComparison.Ordinal);

        await app.RunDrillAsync(client, "heal");
        await app.AssertHealthAsync(client, HttpStatusCode.OK, "Healthy");

        await app.StopAsync();
        var s = app.MainSink.GetSnapshot();
        Assert.Equal(0, s.Dropped);
        Assert.Equal(0, s.Stalls);
    }

    [Fact]
    public async Task Health_DiskFullDrill_IsDegradedThenUnhealthyThenRecoversWithEveryEventAccounted()
    {
        var time = SampleApp.ClockFromNow();
        await using var app = new SampleApp(fileArgs: args =>
        {
            args["capacity"] = 3;
            args["fullMode"] = "DropNewest";
        }, time: time);
        app.Start();
        var client = app.CreateClient();
        app.WaitUntilIdle();

        await app.RunDrillAsync(client, "disk-full");
        app.WaitUntilBackingOff();
        var retrying = await app.AssertHealthAsync(client, HttpStatusCode.OK, "Degraded", stuck: true);
        Assert.Contains("being retried: Fault drill: no space left on device", retrying, StringComparison.Ordinal);

        for (var i = 0; i < 5; i++) (await client.GetAsync($"/hello/{i}")).EnsureSuccessStatusCode();
        Assert.True(app.MainSink.GetSnapshot().DroppedByReason[DropReason.QueueFull] > 0);
        time.Advance(TimeSpan.FromMinutes(1));
        var broken = await app.AssertHealthAsync(client, HttpStatusCode.ServiceUnavailable, "Unhealthy", stuck: true);
        Assert.Contains("no progress for", broken, StringComparison.Ordinal);

        await app.RunDrillAsync(client, "heal");
        app.WaitUntilIdle();
        var recovered = await app.AssertHealthAsync(client, HttpStatusCode.OK, "Degraded");
        Assert.Contains("events were dropped", recovered, StringComparison.Ordinal);
        time.Advance(TimeSpan.FromMinutes(2));
        await app.AssertHealthAsync(client, HttpStatusCode.OK, "Healthy");

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
        var time = new FakeTimeProvider();
        var name = Some.UniqueName("health");
        using var services = HealthServices(name, time);
        var sink = TestSinks.Create(new CollectingSink(), Some.Options(time: time, name: name));
        Assert.Equal(HealthStatus.Healthy, (await Check(services)).Status);

        sink.Supervisor.Drills.Run(FaultDrill.Crash);
        sink.Emit(Some.Event(1));
        Wait.Until(() => sink.GetSnapshot().State == SinkState.Faulted, "the drill crashes the consumer");
        var faulted = await Check(services);
        Assert.Equal(HealthStatus.Unhealthy, faulted.Status);
        Assert.Contains("the consumer died (Fault drill: consumer crash.)", faulted.Description, StringComparison.Ordinal);

        sink.Supervisor.CheckOnce();
        Assert.Equal(SinkState.Restarting, sink.GetSnapshot().State);
        Assert.Equal(HealthStatus.Degraded, (await Check(services)).Status);

        sink.CheckAfter(time, Backoff.MaxDelayFor(1));
        Wait.Until(() => sink.GetSnapshot() is { Written: 1, State: SinkState.Running }, "the restarted consumer writes the event");
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
        var time = new FakeTimeProvider();
        var name = Some.UniqueName("health");
        using var services = HealthServices(name, time);
        var (sink, inner) = await TestSinks.HeldAsync(Some.Options(time: time, name: name, stallTimeout: TimeSpan.FromSeconds(10)),
            rebuild: () => throw new IOException("the share is gone"));

        sink.Supervisor.CheckOnce();
        sink.CheckAfter(time, TimeSpan.FromSeconds(10));

        Assert.Equal(SinkState.Stalled, sink.GetSnapshot().State);
        var stalled = await Check(services);
        Assert.Equal(HealthStatus.Unhealthy, stalled.Status);
        Assert.Contains("the consumer is stalled: 1 events pending", stalled.Description, StringComparison.Ordinal);

        inner.Release();
        Wait.Until(() => sink.GetSnapshot() is { Written: 1, State: SinkState.Running }, "the stuck write returns");
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
