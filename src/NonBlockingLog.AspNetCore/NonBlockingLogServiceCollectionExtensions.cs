using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NonBlockingLog;
using NonBlockingLog.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddNonBlockingLog(builder.Configuration)</c>: configuration checked at startup and live policy tuning in a host.</summary>
public static class NonBlockingLogServiceCollectionExtensions
{
    /// <summary>
    /// Checks the NonBlockingLog sinks of a Serilog configuration section at once, and ties them to the host:
    /// <list type="bullet">
    /// <item><b>Checked at startup.</b> Every <c>NonBlocking</c> and <c>NonBlockingFile</c> entry of the section is
    /// checked with <see cref="NonBlockingLogConfiguration.Validate"/> before this returns: a misspelt key, a value
    /// of the wrong form or out of range, a missing <c>path</c> or <c>configure</c>, or two sinks with one name
    /// throws an <see cref="InvalidOperationException"/> that lists each problem with its configuration path and
    /// what is valid. Call this before <c>ReadFrom.Configuration</c>, so that the app fails with that message
    /// rather than with the settings reader's.</item>
    /// <item><b>Live tuning.</b> When the configuration reloads (appsettings.json does on change), a changed
    /// <c>fullMode</c>, <c>waitTimeout</c>, <c>reservedForWarnings</c> or <c>floodLimit</c> of an entry that has a <c>name</c> is
    /// applied to the running sink, with one log line per change. A change that cannot apply while running (such
    /// as <c>capacity</c>) is reported in a log line; a value the startup check would reject is reported with
    /// what is valid, and the sink keeps its settings.</item>
    /// </list>
    /// </summary>
    /// <remarks>
    /// Disposing the logger at shutdown is Serilog.Extensions.Hosting's job, not this method's: <c>AddSerilog</c>
    /// disposes it with the service provider, or, after a bootstrap logger, the app's
    /// <c>finally { Log.CloseAndFlush(); }</c> does. Either way each NonBlockingLog sink drains and flushes within
    /// its <c>shutdownTimeout</c> and counts what it could not write as <c>shutdown_timeout</c>.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The app's configuration, such as <c>builder.Configuration</c>: the one the logger is read from.</param>
    /// <param name="sectionName">The section the logger is read from. The default is <c>Serilog</c>.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <exception cref="InvalidOperationException">The section's NonBlockingLog sinks are not valid; the message lists every problem.</exception>
    public static IServiceCollection AddNonBlockingLog(this IServiceCollection services, IConfiguration configuration, string sectionName = "Serilog")
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        NonBlockingLogConfiguration.Validate(configuration, sectionName);

        services.AddSingleton<IHostedService>(provider => new PolicyReloader(
            configuration, sectionName, provider.GetRequiredService<ILogger<PolicyReloader>>()));
        return services;
    }
}
