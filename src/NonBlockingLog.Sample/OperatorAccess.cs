using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NonBlockingLog.Sample;

/// <summary>
/// Who may see the service's internals (the diagnostics report, the metrics, the reasons behind /health) and, in
/// Development, run the fault drills: a request addressed to this machine by a loopback name (Host localhost,
/// 127.0.0.1 or [::1]) that, outside Development, also comes from this machine and not through a proxy, such as a
/// collector sidecar, <c>kubectl port-forward</c> or an ssh tunnel. Nobody needs an account for it, and nothing
/// reaches it from the network. Anyone else gets 403, and from /health only the status.
/// </summary>
static class OperatorAccess
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Marks an endpoint for operators only; <see cref="Enforce"/> turns everyone else away.</summary>
    public static TBuilder RequireOperator<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new OperatorOnly());

    /// <summary>Middleware: a request to an endpoint marked <see cref="RequireOperator"/> from a non-operator is 403.</summary>
    public static Task Enforce(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<OperatorOnly>() is null || IsOperator(context)) return next(context);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.Response.WriteAsync(
            "This endpoint answers only requests to localhost, 127.0.0.1 or [::1], and outside Development only from this machine.", context.RequestAborted);
    }

    public static bool IsOperator(HttpContext context) =>
        IsAddressedToLoopback(context.Request)
        && (context.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment() || IsLocal(context));

    // A web page can reach a service on the machine its visitor's browser runs on by pointing a name of its own at
    // 127.0.0.1 (DNS rebinding): the browser then connects over loopback, and treats the answers as the page's own.
    // The Host header still names the page's site, and no page can make it a loopback name.
    static bool IsAddressedToLoopback(HttpRequest request) =>
        request.Host.Host.ToLowerInvariant() is "localhost" or "127.0.0.1" or "[::1]";

    // A proxy on this machine (nginx, a service-mesh sidecar) makes every caller look local, so a forwarded
    // request is never local. Behind such a proxy, use RequireAuthorization with your own policy instead.
    static bool IsLocal(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } ip
        && IPAddress.IsLoopback(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip)
        && !context.Request.Headers.ContainsKey("X-Forwarded-For")
        && !context.Request.Headers.ContainsKey("Forwarded");

    /// <summary>Writes /health as JSON: the status for anyone; for operators also each check's description and data.</summary>
    public static Task WriteHealth(HttpContext context, HealthReport report)
    {
        object body = IsOperator(context)
            ? new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(
                    e => e.Key,
                    e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
            }
            : new { status = report.Status.ToString() };
        return context.Response.WriteAsJsonAsync(body, Json, context.RequestAborted);
    }

    sealed class OperatorOnly;
}
