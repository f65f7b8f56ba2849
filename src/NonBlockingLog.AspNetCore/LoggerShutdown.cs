using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Core;
using Serilog.Debugging;

namespace NonBlockingLog.AspNetCore;

/// <summary>
/// Disposes the Serilog logger when the host has stopped, so that every NonBlockingLog sink drains its queue
/// and flushes within its shutdownTimeout, and writes its final drop notice if it dropped anything.
/// </summary>
/// <remarks>
/// StoppedAsync, not StopAsync: hosted services stop in reverse order of registration, and this one is usually
/// registered after the web server's, so its StopAsync would run while requests are still being served and
/// logged. StoppedAsync runs once every StopAsync, the server's included, has returned.
/// </remarks>
internal sealed class LoggerShutdown(Logger? logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        // Each sink bounds its own drain by its shutdownTimeout. The host's token (HostOptions.ShutdownTimeout)
        // bounds the whole: if it runs out first the host goes on stopping, and the sinks finish on their own.
        var disposing = logger is null ? Log.CloseAndFlushAsync() : logger.DisposeAsync();
        try
        {
            await disposing.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            SelfLog.WriteLine("{0}: the host's shutdown timeout ran out while the logger was still draining; the sinks go on within their shutdownTimeout", typeof(LoggerShutdown));
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("{0}: disposing the logger failed: {1}", typeof(LoggerShutdown), ex);
        }
    }
}
