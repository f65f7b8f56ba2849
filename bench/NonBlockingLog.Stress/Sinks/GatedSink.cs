using System.Diagnostics;
using NonBlockingLog.Stress.Support;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Stress.Sinks;

/// <summary>
/// A destination that hangs for good inside Emit on its <c>hangAt</c>-th caller event, as a write to a dead
/// NFS server or a lock that is never released would. The gate only opens at the end of the scenario, to let
/// the abandoned consumer thread finish; what it then lets through is not counted as received.
/// </summary>
internal sealed class GatedSink(long hangAt) : ILogEventSink, IDisposable
{
    readonly ManualResetEventSlim _gate = new(false);
    long _calls;
    long _received;
    long _hungAt;

    /// <summary>Caller events that returned normally, before the hang.</summary>
    public long Received => Volatile.Read(ref _received);

    /// <summary>Stopwatch timestamp at which the hang began, or 0 if it has not yet.</summary>
    public long HungAt => Volatile.Read(ref _hungAt);

    public void Emit(LogEvent logEvent)
    {
        if (StressEvent.IsDropNotice(logEvent)) return;
        if (++_calls >= hangAt)
        {
            Volatile.Write(ref _hungAt, Stopwatch.GetTimestamp());
            _gate.Wait();
            return;
        }

        Volatile.Write(ref _received, _received + 1);
    }

    /// <summary>Lets the abandoned consumer thread out; only for cleaning up.</summary>
    public void Open() => _gate.Set();

    // Deliberately not opening the gate: disposal of an abandoned destination must not be what unblocks it.
    public void Dispose()
    {
    }
}
