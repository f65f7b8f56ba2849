namespace NonBlockingLog.SteadyState;

/// <summary>
/// The largest working set seen while it runs, sampled every 50 ms on its own thread: an unbounded queue shows
/// here as a backlog of events held in memory.
/// </summary>
internal sealed class WorkingSetSampler : IDisposable
{
    static readonly TimeSpan Period = TimeSpan.FromMilliseconds(50);

    readonly ManualResetEventSlim _stop = new(false);
    readonly Thread _thread;
    long _peak = Environment.WorkingSet;

    public WorkingSetSampler()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "working set sampler" };
        _thread.Start();
    }

    /// <summary>Final once disposed.</summary>
    public long Peak => Interlocked.Read(ref _peak);

    void Run()
    {
        while (!_stop.Wait(Period))
        {
            var now = Environment.WorkingSet;
            if (now > Peak) Interlocked.Exchange(ref _peak, now);
        }
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        var now = Environment.WorkingSet;
        if (now > Peak) Interlocked.Exchange(ref _peak, now);
    }
}
