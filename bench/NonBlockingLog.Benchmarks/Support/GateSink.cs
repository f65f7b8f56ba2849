using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Benchmarks.Support;

/// <summary>
/// A sink that hangs inside Emit from its first event on, until <see cref="Open"/>: a consumer stuck for good, as on
/// a dead NFS mount or a lock never released. Only cleanup opens the gate, so that disposal does not hang.
/// </summary>
internal sealed class GateSink : ILogEventSink
{
    readonly ManualResetEventSlim _gate = new(false);
    readonly ManualResetEventSlim _entered = new(false);
    long _emits;

    /// <summary>Events the sink was given (each one blocked until the gate opened).</summary>
    public long Emits => Interlocked.Read(ref _emits);

    public void Emit(LogEvent logEvent)
    {
        Interlocked.Increment(ref _emits);
        _entered.Set();
        _gate.Wait();
    }

    /// <summary>Waits until a consumer is stuck inside Emit.</summary>
    public bool WaitUntilStuck(TimeSpan timeout) => _entered.Wait(timeout);

    /// <summary>Lets every stuck consumer out; only for cleanup.</summary>
    public void Open() => _gate.Set();
}
