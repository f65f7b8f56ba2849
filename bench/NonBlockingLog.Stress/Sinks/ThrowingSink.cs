using NonBlockingLog.Stress.Support;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Stress.Sinks;

/// <summary>
/// A destination that throws for every <c>every</c>-th caller event it receives and keeps the rest, counting
/// both, so that the sink's sink_failure and Written can be checked against it exactly. Drop notices pass
/// uncounted, so they do not shift which events fail.
/// </summary>
internal sealed class ThrowingSink(int every) : ILogEventSink
{
    long _calls;
    long _thrown;
    long _received;

    public long Thrown => Volatile.Read(ref _thrown);

    public long Received => Volatile.Read(ref _received);

    public void Emit(LogEvent logEvent)
    {
        if (StressEvent.IsDropNotice(logEvent)) return;
        if (++_calls % every == 0)
        {
            Volatile.Write(ref _thrown, _thrown + 1);
            throw new InvalidOperationException($"Stress: injected failure on call {_calls}.");
        }

        Volatile.Write(ref _received, _received + 1);
    }
}
