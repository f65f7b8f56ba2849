namespace NonBlockingLog;

/// <summary>
/// A fault to inject into a running sink's consumer with <see cref="NonBlockingLogSinks.RunFaultDrill"/>, to watch
/// health, metrics and diagnostics react and recover. For drills and tests, never for production traffic.
/// </summary>
public enum FaultDrill
{
    /// <summary>The next write blocks, like a hung disk, until <see cref="Heal"/>. With events pending the consumer stalls and is replaced after <c>stallTimeout</c>.</summary>
    Stall,

    /// <summary>The next batch crashes the consumer outside the per-event handling; the supervisor restarts it and the batch is written again.</summary>
    Crash,

    /// <summary>Every write fails with an <see cref="IOException"/> (no space left on device) until <see cref="Heal"/>; the batch is retried with backoff.</summary>
    DiskFull,

    /// <summary>Clears every injected fault: a stalled write returns, and an outage ends at the next retry.</summary>
    Heal,
}
