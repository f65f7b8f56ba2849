using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NonBlockingLog.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddNonBlockingLog(configuration)</c>: live policy tuning in a host.</summary>
public static class NonBlockingLogServiceCollectionExtensions
{
    /// <summary>
    /// When the configuration reloads (appsettings.json does on change), applies a changed <c>fullMode</c>,
    /// <c>waitTimeout</c> or <c>reservedForWarnings</c> of a <c>Serilog:WriteTo</c> entry named
    /// <c>NonBlocking</c> or <c>NonBlockingFile</c> that has a <c>name</c> to the running sink, with one log line
    /// per change. A change that cannot apply while running (such as <c>capacity</c>) and an invalid value are
    /// each reported in a log line; the sink keeps its settings.
    /// </summary>
    /// <remarks>
    /// Disposing the logger at shutdown is Serilog.Extensions.Hosting's job, not this method's: <c>AddSerilog</c>
    /// disposes it with the service provider, or, after a bootstrap logger, the app's
    /// <c>finally { Log.CloseAndFlush(); }</c> does. Either way each NonBlockingLog sink drains and flushes within
    /// its <c>shutdownTimeout</c> and counts what it could not write as <c>shutdown_timeout</c>.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration the logger was read from, usually <c>builder.Configuration</c>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddNonBlockingLog(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<IHostedService>(provider => new PolicyReloader(
            configuration,
            provider.GetRequiredService<ILogger<PolicyReloader>>()));
        return services;
    }
}
