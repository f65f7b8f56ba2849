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

    /// <summary>Consumer: a new outage; returns the delay before the next attempt and arms the wait.</summary>
    public TimeSpan Arm()
    {
        if (_shuttingDown && !_restartedForShutdown)
        {
            _restartedForShutdown = true;
            _attempt = 0;
        }

        _attempt++;
        var delay = Backoff.Delay(_attempt, Random.Shared.NextDouble());
        _released.Reset();
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

    /// <summary>Shutdown began: retry now, and from the first delay again.</summary>
    public void ReleaseForShutdown()
    {
        _shuttingDown = true;
        _released.Set();
    }
}
