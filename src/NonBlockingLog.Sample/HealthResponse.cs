using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NonBlockingLog.Sample;

/// <summary>Writes a health report as JSON: the overall status, and each check's status, description and data.</summary>
static class HealthResponse
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return context.Response.WriteAsJsonAsync(body, Json, context.RequestAborted);
    }
}
