using System.Diagnostics;
using NonBlockingLog.Stress.Support;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Stress.Sinks;

/// <summary>
/// A destination that counts the caller events it receives (drop notices apart) and can be made slow: it
/// spins for <see cref="CostPerEvent"/> on each, as a formatter plus a slow device would. Spinning rather than
/// sleeping, because a sleep is at least tens of microseconds and would make the cost coarse. The count is
/// the destination's side of the ledger, checked against the sink's Written.
/// </summary>
internal sealed class CountingSink : ILogEventSink
{
    long _received;
    long _costTicks;
    long _firstAt;

    /// <summary>Caller events received so far (written by the consumer only; read from anywhere).</summary>
    public long Received => Volatile.Read(ref _received);

    /// <summary>Stopwatch timestamp of the first caller event, or 0: when a replacement destination took over.</summary>
    public long FirstAt => Volatile.Read(ref _firstAt);

    public TimeSpan CostPerEvent
    {
        get => TimeSpan.FromSeconds((double)Volatile.Read(ref _costTicks) / Stopwatch.Frequency);
        set => Volatile.Write(ref _costTicks, (long)(value.TotalSeconds * Stopwatch.Frequency));
    }

    public void Emit(LogEvent logEvent)
    {
        var cost = Volatile.Read(ref _costTicks);
        if (cost > 0)
        {
            var until = Stopwatch.GetTimestamp() + cost;
            while (Stopwatch.GetTimestamp() < until) Thread.SpinWait(1);
        }

        if (StressEvent.IsDropNotice(logEvent)) return;
        if (_received == 0) Volatile.Write(ref _firstAt, Stopwatch.GetTimestamp());
        Volatile.Write(ref _received, _received + 1);
    }
}
