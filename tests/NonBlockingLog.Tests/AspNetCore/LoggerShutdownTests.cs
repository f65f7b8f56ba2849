using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NonBlockingLog.AspNetCore;
using NonBlockingLog.Tests.Support;
using Serilog;

namespace NonBlockingLog.Tests.AspNetCore;

/// <summary>LoggerShutdown on a plain generic host: which logger is disposed, and that the host never waits past its own timeout.</summary>
public sealed class LoggerShutdownTests
{
    static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    static IHost BuildHost(Serilog.Core.Logger? logger, TimeSpan hostShutdownTimeout)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = hostShutdownTimeout);
        builder.Services.AddSingleton<IHostedService>(new LoggerShutdown(logger));
        return builder.Build();
    }

    [Fact]
    public async Task Stop_WithoutALogger_ClosesAndFlushesTheStaticLogger()
    {
        var name = "static-" + Guid.NewGuid().ToString("n");
        var inner = new CollectingSink();
        Log.Logger = new LoggerConfiguration().WriteTo.NonBlocking(to => to.Sink(inner), name: name).CreateLogger();
        var sink = NonBlockingLogSinks.Find(name)!;
        using var host = BuildHost(logger: null, TimeSpan.FromSeconds(30));
        await host.StartAsync();
        Log.Information("Last words {Number}", 1);

        await host.StopAsync().WaitAsync(HangGuard);

        Assert.Equal(SinkState.Stopped, sink.GetSnapshot().State);
        Assert.Equal("Last words 1", Assert.Single(inner.Events).RenderMessage());
    }

    [Fact]
    public async Task Stop_WhenDrainingOutlastsTheHostsShutdownTimeout_ReturnsAndTheSinkFinishesOnItsOwn()
    {
        var name = "slow-" + Guid.NewGuid().ToString("n");
        var inner = new GatedSink();
        using var logger = new LoggerConfiguration()
            .WriteTo.NonBlocking(to => to.Sink(inner), shutdownTimeout: TimeSpan.FromMinutes(10), name: name)
            .CreateLogger();
        var sink = NonBlockingLogSinks.Find(name)!;
        using var host = BuildHost(logger, TimeSpan.FromMilliseconds(200));
        await host.StartAsync();
        logger.Information("stuck");
        await inner.Entered.WaitAsync(HangGuard);

        await host.StopAsync().WaitAsync(HangGuard);

        // The host is stopped while the sink, with 10 minutes to drain, is still at it.
        Assert.NotEqual(SinkState.Stopped, sink.GetSnapshot().State);
        inner.Release();
        Some.Eventually(() => sink.GetSnapshot().State == SinkState.Stopped, "the sink drains once the write returns");
        Assert.Equal(1, sink.GetSnapshot().Written);
    }
}
