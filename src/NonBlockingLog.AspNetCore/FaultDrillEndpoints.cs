using Microsoft.AspNetCore.Http;
using NonBlockingLog.Accounting;
using NonBlockingLog.Drills;
using NonBlockingLog.Supervision;

namespace NonBlockingLog.AspNetCore;

/// <summary>
/// POST {prefix}/{sink}/stall | crash | disk-full | heal: injects a fault into a running sink's consumer and
/// clears it, so that a user can watch health and diagnostics react and recover. Development only.
/// </summary>
internal static class FaultDrillEndpoints
{
    public static readonly (string Drill, Action<FaultDrills> Apply, string Effect)[] All =
    [
        ("stall", d => d.InjectStall(),
            "The next write blocks, like a hung disk, until heal. With events pending the sink is Unhealthy after the " +
            "health check's progressTimeout; after stallTimeout the supervisor fences the stuck consumer and a new one " +
            "writes the queued events. Log something to set it off."),
        ("crash", d => d.InjectCrash(),
            "The next batch crashes the consumer. The supervisor restarts it after a backoff (from 100 ms) and the batch " +
            "is written again; the error keeps the sink Degraded for the health check's recentWindow. Log something to set it off."),
        ("disk-full", d => d.InjectDiskFull(),
            "Every write fails with an IOException (no space left on device) until heal. The consumer keeps the batch and " +
            "retries with backoff (100 ms doubling to 30 s): Degraded at once, Unhealthy after progressTimeout; the queue " +
            "fills and fullMode applies. Log something to set it off."),
        ("heal", d => d.Heal(),
            "The faults are cleared: a stalled write returns (a fenced consumer then stops), and an outage ends at the next " +
            "retry. Drops and errors keep the sink Degraded for the health check's recentWindow."),
    ];

    public static IResult Run(string sink, string drill, Action<FaultDrills> apply, string effect)
    {
        // The internal sink, not the public inspector: the drills are internals that only this package reaches.
        if (SinkRegistry.Find(sink) is not { } target)
            return Results.NotFound(new { sink, drill, error = $"no running NonBlockingLog sink is named {sink}" });

        apply(target.Supervisor.Drills);
        var s = target.GetSnapshot();
        return Results.Ok(new { sink, drill, effect, state = s.State.ToString(), phase = s.Phase.ToString() });
    }
}
