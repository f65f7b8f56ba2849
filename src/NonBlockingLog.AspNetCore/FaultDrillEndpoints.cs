using Microsoft.AspNetCore.Http;

namespace NonBlockingLog.AspNetCore;

/// <summary>
/// POST {prefix}/{sink}/stall | crash | disk-full | heal: injects a fault into a running sink's consumer and
/// clears it, so that a user can watch health and diagnostics react and recover. Development only.
/// </summary>
internal static class FaultDrillEndpoints
{
    public static readonly (string Route, FaultDrill Drill, string Effect)[] All =
    [
        ("stall", FaultDrill.Stall,
            "The next write blocks, like a hung disk, until heal. With events pending the sink is Unhealthy after the " +
            "health check's progressTimeout; after stallTimeout the supervisor fences the stuck consumer and a new one " +
            "writes the queued events. Log something to set it off."),
        ("crash", FaultDrill.Crash,
            "The next batch crashes the consumer. The supervisor restarts it after a backoff and the batch " +
            "is written again; the error keeps the sink Degraded for the health check's recentWindow. Log something to set it off."),
        ("disk-full", FaultDrill.DiskFull,
            "Every write fails with an IOException (no space left on device) until heal. The consumer keeps the batch and " +
            "retries with a growing backoff: Degraded at once, Unhealthy after progressTimeout; the queue " +
            "fills and fullMode applies. Log something to set it off."),
        ("heal", FaultDrill.Heal,
            "The faults are cleared: a stalled write returns (a fenced consumer then stops), and an outage ends at the next " +
            "retry. Drops and errors keep the sink Degraded for the health check's recentWindow."),
    ];

    public static IResult Run(string sink, string route, FaultDrill drill, string effect)
    {
        if (!NonBlockingLogSinks.RunFaultDrill(sink, drill))
            return Results.NotFound(new { sink, drill = route, error = $"no running NonBlockingLog sink is named {sink}" });

        var s = NonBlockingLogSinks.Find(sink)?.GetSnapshot();
        return Results.Ok(new { sink, drill = route, effect, state = s?.State.ToString(), phase = s?.Phase.ToString() });
    }
}
