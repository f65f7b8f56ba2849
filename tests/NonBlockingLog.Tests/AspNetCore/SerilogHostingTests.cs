using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Tests.AspNetCore;

/// <summary>
/// The sinks under Serilog.Extensions.Hosting as users set it up: <c>AddSerilog</c>, with or without a bootstrap
/// logger. Whoever disposes the logger (the service provider, or the app's <c>finally { Log.CloseAndFlush(); }</c>
/// after a bootstrap logger), each sink is disposed once and drains within its shutdownTimeout.
/// </summary>
[Collection(StaticLoggerCollection.Name)]
public sealed class SerilogHostingTests
{
    static WebApplication Build(Action<LoggerConfiguration> configure, bool healthAndDiagnostics = false)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseTestServer();
        // Only the test's own events, so that they can be counted exactly.
        builder.Services.AddSerilog((services, lc) => configure(lc.ReadFrom.Services(services).MinimumLevel.Override("Microsoft", LogEventLevel.Warning)));
        if (healthAndDiagnostics) builder.Services.AddHealthChecks().AddNonBlockingLog();
        var app = builder.Build();
        app.MapGet("/hello/{n:int}", (int n, ILogger<SerilogHostingTests> logger) => logger.LogInformation("Hello {Number}", n));
        if (healthAndDiagnostics) app.MapNonBlockingLogDiagnostics();
        return app;
    }

    /// <summary>Builds and starts the app with no bootstrap logger and one sink: a NonBlocking one over <paramref name="inner"/>.</summary>
    static async Task<(WebApplication App, INonBlockingLogInspector Sink)> StartWithoutBootstrap(string name, ILogEventSink inner, TimeSpan? shutdownTimeout = null)
    {
        var app = Build(lc => lc.WriteTo.NonBlocking(to => to.Sink(inner), shutdownTimeout: shutdownTimeout, name: name));
        var sink = NonBlockingLogSinks.Find(name)!;
        await app.StartAsync();
        return (app, sink);
    }

    [Fact]
    public async Task BootstrapLogger_WhenAddSerilogReloadsIt_DrainsAndDisposesItsSinkOnceAndHealthAndDiagnosticsSeeTheFinalSinks()
    {
        string bootName = Some.UniqueName("bootstrap"), finalName = Some.UniqueName("final");
        CollectingSink bootInner = new(), finalInner = new();
        Log.Logger = new LoggerConfiguration().WriteTo.NonBlocking(to => to.Sink(bootInner), name: bootName).CreateBootstrapLogger();
        try
        {
            var boot = NonBlockingLogSinks.Find(bootName)!;
            Log.Information("Starting {Number}", 1);

            var app = Build(lc => lc.WriteTo.NonBlocking(to => to.Sink(finalInner), name: finalName), healthAndDiagnostics: true);

            // Building the host resolved the logger: ReloadableLogger.Reload disposed the bootstrap pipeline.
            Assert.Equal(SinkState.Stopped, boot.GetSnapshot().State);
            Assert.Equal("Starting 1", Assert.Single(bootInner.Events).RenderMessage());
            Assert.Equal(1, bootInner.Disposals);
            Assert.Null(NonBlockingLogSinks.Find(bootName));
            Assert.NotNull(NonBlockingLogSinks.Find(finalName));

            await app.StartAsync();
            var diagnostics = await app.GetTestClient().GetFromJsonAsync<JsonElement>("/diagnostics/logging");
            var reported = diagnostics.GetProperty("sinks").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToArray();
            Assert.Contains(finalName, reported);
            Assert.DoesNotContain(bootName, reported);
            var health = (await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["nonblockinglog"];
            Assert.True(health.Data.ContainsKey(finalName));
            Assert.False(health.Data.ContainsKey(bootName));

            (await app.GetTestClient().GetAsync("/hello/2")).EnsureSuccessStatusCode();
            await app.StopAsync();
            await app.DisposeAsync();

            // After a bootstrap logger the service provider leaves the logger alone: the app's finally disposes it.
            Assert.Equal(0, finalInner.Disposals);
            Assert.Equal(SinkState.Running, NonBlockingLogSinks.Find(finalName)!.GetSnapshot().State);
        }
        finally
        {
            Log.CloseAndFlush();
        }

        Assert.Equal(1, finalInner.Disposals);
        Assert.Contains(finalInner.Events, e => e.RenderMessage() == "Hello 2");
        Log.CloseAndFlush();
        Assert.Equal(1, finalInner.Disposals);
        Assert.Equal(1, bootInner.Disposals);
    }

    [Fact]
    public async Task WithoutBootstrap_DisposingTheHost_DrainsEveryRequestsEventsAndDisposesTheSinkOnce()
    {
        var name = Some.UniqueName("hosted");
        var inner = new CollectingSink();
        Log.Logger = Serilog.Core.Logger.None;
        try
        {
            var (app, sink) = await StartWithoutBootstrap(name, inner);
            var client = app.GetTestClient();

            // No waiting for the consumer: what is still queued when the host stops must be written by the disposal.
            const int Requests = 200;
            await Task.WhenAll(Enumerable.Range(0, Requests).Select(i => client.GetAsync($"/hello/{i}")));
            await app.StopAsync();
            await app.DisposeAsync();

            // AddSerilog without a bootstrap logger disposes the logger with the service provider.
            Assert.Equal(1, inner.Disposals);
            var s = sink.GetSnapshot();
            Assert.Equal(SinkState.Stopped, s.State);
            Assert.Equal(0, s.Dropped);
            Assert.Equal(Requests, inner.Events.Count(e => e.MessageTemplate.Text == "Hello {Number}"));
        }
        finally
        {
            // As the app's finally does; the logger is already closed, so this disposes nothing again.
            Log.CloseAndFlush();
        }

        Assert.Equal(1, inner.Disposals);
    }

    [Fact]
    public async Task WithoutBootstrap_DisposingTheHostWhileTheDestinationHangs_ReturnsWithoutItAndCountsTheRestAsShutdownTimeout()
    {
        var name = Some.UniqueName("hung");
        var inner = new GatedSink();
        Log.Logger = Serilog.Core.Logger.None;
        try
        {
            var (app, sink) = await StartWithoutBootstrap(name, inner, shutdownTimeout: TimeSpan.FromMilliseconds(200));
            var client = app.GetTestClient();
            (await client.GetAsync("/hello/0")).EnsureSuccessStatusCode();
            await inner.Entered.WaitAsync(Wait.HangGuard);
            for (var i = 1; i <= 5; i++) (await client.GetAsync($"/hello/{i}")).EnsureSuccessStatusCode();

            await app.StopAsync();
            await app.DisposeAsync().AsTask().WaitAsync(Wait.HangGuard);

            // Disposal gave up on the stuck write after shutdownTimeout: nothing was written, all six are counted.
            var s = sink.GetSnapshot();
            Assert.Equal(SinkState.Stopped, s.State);
            Assert.Equal(0, s.Written);
            Assert.Equal(6, s.DroppedByReason[DropReason.ShutdownTimeout]);
            Assert.Equal(6, s.Dropped);
        }
        finally
        {
            inner.Release();
            Log.CloseAndFlush();
        }
    }

    [Fact]
    public async Task Sample_OnceBuilt_HasDisposedItsBootstrapSink()
    {
        await using var app = new SampleApp();
        app.Start();

        Assert.Null(NonBlockingLogSinks.Find("bootstrap"));
        Assert.Equal(SinkState.Running, app.MainSink.GetSnapshot().State);
    }
}
