namespace NonBlockingLog.Supervision;

/// <summary>
/// Decides "no progress while work is pending" from observations alone, so that it is pure and testable:
/// the caller passes the consumer's progress count, whether work is pending, and the time.
/// </summary>
internal sealed class StallDetector(TimeSpan stallTimeout)
{
    long _lastProgress = -1;
    TimeSpan _unchangedSince;

    /// <summary>The time of the last observed progress, or of the first observation.</summary>
    public TimeSpan LastProgressAt => _unchangedSince;

    /// <summary>True when work was pending and <paramref name="progress"/> has not moved for the stall timeout.</summary>
    public bool Observe(long progress, bool workPending, TimeSpan now)
    {
        if (progress != _lastProgress || !workPending)
        {
            _lastProgress = progress;
            _unchangedSince = now;
            return false;
        }

        return now - _unchangedSince >= stallTimeout;
    }

    /// <summary>Starts over, as after a recovery: the new consumer gets a full timeout.</summary>
    public void Reset(TimeSpan now)
    {
        _lastProgress = -1;
        _unchangedSince = now;
    }
}
