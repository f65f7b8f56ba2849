using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NonBlockingLog.AspNetCore;

/// <summary>
/// The health of the NonBlockingLog sinks that <see cref="HealthRules"/> cover: the worst sink decides the
/// status, the description says why, and the data holds each sink's report under its name.
/// </summary>
internal sealed class NonBlockingLogHealthCheck(HealthRules rules, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var health = rules.Evaluate(time.GetUtcNow());
        var data = new Dictionary<string, object>(health.Sinks.Count, StringComparer.Ordinal);
        foreach (var sink in health.Sinks) data[sink.Snapshot.Name] = SinkReport.Describe(sink);
        return Task.FromResult(new HealthCheckResult(health.Status, health.Description, exception: null, data));
    }
}
