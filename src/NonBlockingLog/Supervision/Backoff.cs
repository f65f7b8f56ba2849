namespace NonBlockingLog.Supervision;

/// <summary>
/// Exponential backoff with jitter, for restarting a dead consumer and for retrying a batch after an I/O outage:
/// the delay doubles from <see cref="FirstDelay"/> up to <see cref="MaxDelay"/>, each spread by up to ±20% so that
/// many sinks failing together do not retry in lockstep. Pure.
/// </summary>
internal static class Backoff
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    const double Jitter = 0.2;

    /// <summary>The delay before attempt <paramref name="attempt"/> (1-based); <paramref name="random01"/> is in [0, 1).</summary>
    public static TimeSpan Delay(int attempt, double random01)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var baseTicks = Math.Min(FirstDelay.Ticks * Math.Pow(2, exponent), MaxDelay.Ticks);
        var factor = 1 + Jitter * (2 * random01 - 1);
        return TimeSpan.FromTicks((long)Math.Min(baseTicks * factor, MaxDelay.Ticks));
    }

    /// <summary>The longest <see cref="Delay"/> can be for this attempt: what a test advances a fake clock by.</summary>
    public static TimeSpan MaxDelayFor(int attempt) => Delay(attempt, 0.999999);
}
