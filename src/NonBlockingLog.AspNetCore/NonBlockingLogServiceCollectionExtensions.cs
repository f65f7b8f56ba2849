using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NonBlockingLog.AspNetCore;
using Serilog.Core;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddNonBlockingLog(logger)</c>: graceful shutdown and live policy tuning in a host.</summary>
public static class NonBlockingLogServiceCollectionExtensions
{
    /// <summary>
    /// Ties a Serilog logger that uses NonBlockingLog sinks to the host's lifetime:
    /// <list type="bullet">
    /// <item><b>Graceful shutdown.</b> When the host has stopped (after the web server stopped taking requests),
    /// the logger is disposed: each sink drains its queue and flushes within its <c>shutdownTimeout</c>, counts
    /// what it could not write as <c>shutdown_timeout</c>, and ends the log with a line saying how many events
    /// it dropped, if any. The host's own shutdown timeout bounds the wait, so shutdown never hangs.</item>
    /// <item><b>Live tuning.</b> When the configuration reloads (appsettings.json does on change), a changed
    /// <c>fullMode</c>, <c>waitTimeout</c> or <c>reservedForWarnings</c> of a <c>Serilog:WriteTo</c> entry named
    /// <c>NonBlocking</c> or <c>NonBlockingFile</c> that has a <c>name</c> is applied to the running sink, with
    /// one log line per change. A change that cannot apply while running (such as <c>capacity</c>) and an
    /// invalid value are each reported in a log line; the sink keeps its settings.</item>
    /// </list>
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="logger">The logger to dispose at shutdown, as returned by <c>CreateLogger()</c>. The default, <c>null</c>, closes and flushes the static <c>Log.Logger</c>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddNonBlockingLog(this IServiceCollection services, Logger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IHostedService>(_ => new LoggerShutdown(logger));
        services.AddSingleton<IHostedService>(provider => new PolicyReloader(
            provider.GetRequiredService<IConfiguration>(),
            provider.GetRequiredService<ILogger<PolicyReloader>>()));
        return services;
    }
}
