using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NonBlockingLog.AspNetCore;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary><c>services.AddHealthChecks().AddNonBlockingLog()</c>: a health check over the NonBlockingLog sinks.</summary>
public static class NonBlockingLogHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check over the NonBlockingLog sinks of this process. The worst sink decides:
    /// <b>Unhealthy</b> when a consumer is stalled or faulted, or has had events pending without progress for
    /// <paramref name="progressTimeout"/> (nothing is being written); <b>Degraded</b> while a consumer restarts,
    /// while an I/O outage is being retried, and for <paramref name="recentWindow"/> after a drop or an error;
    /// otherwise <b>Healthy</b>. With no sink at all the result is Degraded. The description says why; the data
    /// holds each sink's counters, state, phase and last error under the sink's name. The diagnostics endpoint
    /// (<c>MapNonBlockingLogDiagnostics</c>) judges by the settings of the first check added this way.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The health check's name. The default is <c>nonblockinglog</c>.</param>
    /// <param name="sinks">The names of the sinks to check (their <c>name</c> settings); a listed sink that is not running is Unhealthy. The default, <c>null</c>, checks every sink in the process.</param>
    /// <param name="progressTimeout">How long events may be pending without progress before a sink is Unhealthy. The default is 5 seconds.</param>
    /// <param name="recentWindow">How long a dropped event or an error keeps a sink Degraded. The default is 1 minute.</param>
    /// <param name="tags">Tags to filter health checks by, for example for separate liveness and readiness endpoints.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHealthChecksBuilder AddNonBlockingLog(
        this IHealthChecksBuilder builder,
        string name = "nonblockinglog",
        IEnumerable<string>? sinks = null,
        TimeSpan? progressTimeout = null,
        TimeSpan? recentWindow = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var rules = HealthRules.Create(sinks, progressTimeout, recentWindow);
        builder.Services.TryAddSingleton(rules);

        // A TimeProvider registered by the app (or a test) is the clock for "recent"; otherwise the system's.
        return builder.Add(new HealthCheckRegistration(
            name,
            services => new NonBlockingLogHealthCheck(rules, services.GetService<TimeProvider>() ?? TimeProvider.System),
            failureStatus: null,
            tags));
    }
}
