using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace NonBlockingLog.AspNetCore;

/// <summary>
/// GET: every covered sink's state, counters and verdict as JSON, and the overall status with its reasons, so
/// that one request answers "is logging healthy, and if not, why". Always 200: it is a report for people and
/// scripts; probes should use the health check, which answers 503 when Unhealthy.
/// </summary>
internal static class DiagnosticsEndpoint
{
    static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Task Handle(HttpContext context)
    {
        // The same sinks and thresholds as the health check, so the two never disagree.
        var rules = context.RequestServices.GetService<HealthRules>() ?? HealthRules.Default;
        var time = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var health = rules.Evaluate(time.GetUtcNow());

        var body = new Dictionary<string, object?>
        {
            ["status"] = health.Status.ToString(),
            ["description"] = health.Description,
            ["checkedAt"] = health.CheckedAt,
            ["missing"] = health.Missing,
            ["sinks"] = health.Sinks.Select(SinkReport.Describe).ToArray(),
        };

        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(body, s_json, context.RequestAborted);
    }
}
