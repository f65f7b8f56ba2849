using System.Diagnostics;

namespace NonBlockingLog.Stress.Support;

/// <summary>
/// Waits for a condition by looking every millisecond or so. Detection and recovery times are measured this
/// way from outside the sink, through its public snapshot, so they are what a health check would see (to
/// within the polling period).
/// </summary>
internal static class Poll
{
    /// <summary>True, with the Stopwatch timestamp at which it was first seen to hold; false on timeout.</summary>
    public static bool Until(Func<bool> condition, TimeSpan timeout, out long seenAt)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            seenAt = Stopwatch.GetTimestamp();
            if (condition()) return true;
            if (seenAt > deadline) return false;
            Thread.Sleep(1);
        }
    }

    public static bool Until(Func<bool> condition, TimeSpan timeout) => Until(condition, timeout, out _);

    /// <summary>Sleeps until <paramref name="deadline"/> (a Stopwatch timestamp), if it is still ahead.</summary>
    public static void SleepUntil(long deadline)
    {
        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
        if (left > TimeSpan.Zero) Thread.Sleep(left);
    }

    public static long After(long timestamp, TimeSpan delay) => timestamp + (long)(delay.TotalSeconds * Stopwatch.Frequency);
}
