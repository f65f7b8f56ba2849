using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NonBlockingLog.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the NonBlockingLog diagnostics endpoint and, in Development, the fault drills.</summary>
public static class NonBlockingLogEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps GET <paramref name="pattern"/> to a JSON report on the NonBlockingLog sinks: the overall status and
    /// why, and for each sink its name, status and reasons, state, phase and since when, capacity and policy,
    /// queue depth, enqueued, written, dropped by reason, restarts by cause, stalls, last error and last progress.
    /// It covers the sinks, and uses the thresholds, of the first <c>AddHealthChecks().AddNonBlockingLog(...)</c>
    /// (every sink with the default thresholds if there is none). It always answers 200. It shows internals of
    /// the service: protect it as you would any admin endpoint (for example with <c>RequireAuthorization</c>).
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="pattern">The route. The default is <c>/diagnostics/logging</c>.</param>
    /// <returns>The endpoint's convention builder, for authorization and other conventions.</returns>
    public static IEndpointConventionBuilder MapNonBlockingLogDiagnostics(this IEndpointRouteBuilder endpoints, string pattern = "/diagnostics/logging")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        return endpoints.MapGet(pattern, DiagnosticsEndpoint.Handle).WithDisplayName("NonBlockingLog diagnostics");
    }

    /// <summary>
    /// Maps the fault drills, for the Development environment only: POST <c>{prefix}/{sink}/stall</c> (the next
    /// write hangs), <c>crash</c> (the next batch crashes the consumer), <c>disk-full</c> (every write fails with
    /// an I/O error) and <c>heal</c> (clears them). Each answers with what to expect; an unknown sink is 404.
    /// A request that a browser marks as coming from another site (<c>Sec-Fetch-Site</c> other than
    /// <c>same-origin</c> or <c>none</c>, or an <c>Origin</c> other than the app's own) is refused with 403, so that
    /// a web page cannot break the sinks of an app running on the developer's machine.
    /// Watch the effect on the health check and the diagnostics endpoint.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="prefix">The route prefix. The default is <c>/drills</c>.</param>
    /// <returns>The route group's convention builder.</returns>
    /// <exception cref="InvalidOperationException">The environment is not Development: drills break logging on request and must never be reachable in production.</exception>
    public static IEndpointConventionBuilder MapNonBlockingLogFaultDrills(this IEndpointRouteBuilder endpoints, string prefix = "/drills")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var environment = endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>();
        if (!environment.IsDevelopment())
            throw new InvalidOperationException($"NonBlockingLog fault drills stall, crash and break logging on request, so they map only in the Development environment, not in {environment.EnvironmentName}: map them inside if (app.Environment.IsDevelopment()).");

        var group = endpoints.MapGroup(prefix);
        group.AddEndpointFilter(CrossSiteRefusal.Filter);
        foreach (var (route, drill, effect) in FaultDrillEndpoints.All)
            group.MapPost($"/{{sink}}/{route}", (string sink) => FaultDrillEndpoints.Run(sink, route, drill, effect));
        return group;
    }
}
