using NonBlockingLog.Supervision;

namespace NonBlockingLog.Consumption;

/// <summary>
/// How a consumer waits after an I/O outage before writing its batch again: a growing <see cref="Backoff"/>,
/// ended by the supervisor's clock (<see cref="ReleaseIfDue"/>, so that tests drive it with a fake clock), by a
/// take-over, or at once during shutdown.
/// </summary>
internal sealed class OutageRetry(TimeProvider time)
{
    readonly ManualResetEventSlim _released = new(false, spinCount: 0);

    // Written by the consumer, read by the supervisor.
    long _due;

    // Consumer only: outages in a row.
    int _attempt;

    // Set once shutdown begins: the wait in progress ends, and the retries start again from the first delay, so
    // that a destination that has healed meanwhile gets its batch before shutdownTimeout runs out.
    volatile bool _shuttingDown;
    bool _restartedForShutdown;

    public int Attempt => _attempt;

    /// <summary>Test seam: runs in the middle of <see cref="Arm"/>, where a release for shutdown must not be lost.</summary>
    internal Action? WhileArming { get; set; }

    /// <summary>Consumer: a new outage; returns the delay before the next attempt and arms the wait.</summary>
    public TimeSpan Arm()
    {
        // The wait is reset before the shutdown flag is read. ReleaseForShutdown writes the flag before it sets the
        // wait, and both the reset and the set are interlocked (full fences), so either this read sees the flag, or
        // that set comes after this reset and the wait ends at once. Were the flag read first, a release landing
        // between the read and the reset would be undone by the reset, and the consumer would sleep out the whole
        // backoff while the app waits to exit.
        _released.Reset();
        WhileArming?.Invoke();
        if (_shuttingDown && !_restartedForShutdown)
        {
            _restartedForShutdown = true;
            _attempt = 0;
        }

        _attempt++;
        var delay = Backoff.Delay(_attempt, Random.Shared.NextDouble());
        Volatile.Write(ref _due, time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency));
        return delay;
    }

    /// <summary>Consumer: blocks until released.</summary>
    public void Wait() => _released.Wait();

    /// <summary>Consumer: a batch went through; the next outage starts again from the first delay.</summary>
    public void Reset() => _attempt = 0;

    /// <summary>Supervisor: ends the wait if its delay has passed.</summary>
    public void ReleaseIfDue()
    {
        if (time.GetTimestamp() >= Volatile.Read(ref _due)) _released.Set();
    }

    /// <summary>Ends the wait now (a take-over).</summary>
    public void Release() => _released.Set();

    /// <summary>Shutdown began: retry now, and from the first delay again. The flag first: see <see cref="Arm"/>.</summary>
    public void ReleaseForShutdown()
    {
        _shuttingDown = true;
        _released.Set();
    }
}
