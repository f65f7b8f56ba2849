namespace NonBlockingLog.SteadyState.Contenders;

/// <summary>
/// One logger set-up under test, writing the workload's lines to one file, from construction to disposal. The
/// harness logs through <see cref="Produce"/> on its producer threads, waits with <see cref="WaitUntilWritten"/>
/// at the end of each phase, then disposes and checks the file and <see cref="CheckCounters"/>.
/// </summary>
internal abstract class Contender : IDisposable
{
    protected static readonly TimeSpan PollTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Logs request ids <paramref name="from"/> to <paramref name="to"/> (exclusive) on the calling thread.</summary>
    public abstract void Produce(int from, int to);

    /// <summary>
    /// Returns once the events logged so far (<paramref name="logged"/>, all producers having returned) are out of
    /// the contender's queue and handed to its file writer; throws if that takes longer than a few minutes.
    /// </summary>
    public abstract void WaitUntilWritten(long logged);

    /// <summary>After disposal: throws unless the contender's own counters, where it has any, show <paramref name="logged"/> written and none lost.</summary>
    public virtual void CheckCounters(long logged)
    {
    }

    bool _closed;

    /// <summary>Flushes and closes, once: every event is in the file afterwards.</summary>
    public void Dispose()
    {
        if (_closed) return;
        _closed = true;
        Close();
    }

    protected abstract void Close();

    protected static void Poll(Func<bool> done, string what)
    {
        var deadline = Environment.TickCount64 + (long)PollTimeout.TotalMilliseconds;
        while (!done())
        {
            if (Environment.TickCount64 > deadline) throw new TimeoutException($"{what} did not happen within {PollTimeout.TotalMinutes} minutes.");
            Thread.Sleep(1);
        }
    }
}
