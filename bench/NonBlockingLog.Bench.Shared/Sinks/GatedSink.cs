using System.Diagnostics;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Bench.Sinks;

/// <summary>
/// A destination that hangs for good inside Emit from its <c>hangAt</c>-th caller event on (the first, unless
/// told), as a write to a dead NFS server or a lock that is never released would. Only <see cref="Open"/> lets
/// it out, at the end of a run, so that disposal and the abandoned consumer thread can finish; what it then
/// lets through is not counted as received. Drop notices pass uncounted, so they do not shift the hang.
/// </summary>
public sealed class GatedSink(long hangAt = 1) : ILogEventSink, IDisposable
{
    readonly ManualResetEventSlim _gate = new(false);
    readonly ManualResetEventSlim _stuck = new(false);
    long _calls;
    long _received;
    long _hungAt;

    /// <summary>Caller events given to the sink, including those that hung.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Caller events that returned normally, before the hang.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Stopwatch timestamp at which the hang began, or 0 if it has not yet.</summary>
    public long HungAt => Interlocked.Read(ref _hungAt);

    public void Emit(LogEvent logEvent)
    {
        if (DropNotices.IsNotice(logEvent)) return;
        if (Interlocked.Increment(ref _calls) < hangAt)
        {
            Interlocked.Increment(ref _received);
            return;
        }

        Interlocked.CompareExchange(ref _hungAt, Stopwatch.GetTimestamp(), 0);
        _stuck.Set();
        _gate.Wait();
    }

    /// <summary>Waits until a consumer is stuck inside Emit.</summary>
    public bool WaitUntilStuck(TimeSpan timeout) => _stuck.Wait(timeout);

    /// <summary>Lets every stuck consumer out; only for cleaning up.</summary>
    public void Open() => _gate.Set();

    // Deliberately not opening the gate: disposal of an abandoned destination must not be what unblocks it.
    public void Dispose()
    {
    }
}
