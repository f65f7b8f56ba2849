namespace NonBlockingLog.Supervision;

/// <summary>
/// When to restart a consumer that died: the first restart after <see cref="Backoff.FirstDelay"/>, each further one
/// in a row after a longer <see cref="Backoff"/>, back to the first once a batch goes through; at once during
/// shutdown, which needs a consumer to drain the queue. Pure: the caller passes the time. Not thread-safe; the
/// supervisor calls it under its lock.
/// </summary>
internal sealed class RestartSchedule
{
    int _attempt;
    TimeSpan _due;

    /// <summary>A restart is scheduled and has not happened yet.</summary>
    public bool IsPending { get; private set; }

    /// <summary>Restarts in a row without a successful batch between them, the pending one included.</summary>
    public int Attempt => _attempt;

    /// <summary>A consumer died: schedules its restart. <paramref name="random01"/> is in [0, 1), for the jitter.</summary>
    public void Schedule(TimeSpan now, double random01)
    {
        _attempt++;
        _due = now + Backoff.Delay(_attempt, random01);
        IsPending = true;
    }

    /// <summary>Shutdown: the pending restart is due now.</summary>
    public void Expedite(TimeSpan now)
    {
        if (_due > now) _due = now;
    }

    public bool IsDue(TimeSpan now) => IsPending && now >= _due;

    /// <summary>The scheduled restart happened.</summary>
    public void OnRestarted() => IsPending = false;

    /// <summary>A batch went through after the restart: the next fault starts from the first delay again.</summary>
    public void OnRecovered() => _attempt = 0;
}
