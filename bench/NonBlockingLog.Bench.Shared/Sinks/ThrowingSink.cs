using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Bench.Sinks;

/// <summary>
/// A destination that throws for every <c>every</c>-th caller event it receives and keeps the rest, counting
/// both, so that a wrapper's sink_failure and Written can be checked against it exactly. Drop notices pass
/// uncounted, so they do not shift which events fail.
/// </summary>
public sealed class ThrowingSink(int every) : ILogEventSink
{
    long _calls;
    long _thrown;
    long _received;

    public long Thrown => Interlocked.Read(ref _thrown);

    public long Received => Interlocked.Read(ref _received);

    public void Emit(LogEvent logEvent)
    {
        if (DropNotices.IsNotice(logEvent)) return;
        var call = Interlocked.Increment(ref _calls);
        if (call % every == 0)
        {
            Interlocked.Increment(ref _thrown);
            throw new InvalidOperationException($"Injected failure on call {call}.");
        }

        Interlocked.Increment(ref _received);
    }
}
