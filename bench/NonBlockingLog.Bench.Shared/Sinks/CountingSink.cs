using System.Diagnostics;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Bench.Sinks;

/// <summary>
/// A destination that counts the caller events it receives (drop notices apart) and can be made slow: it spins
/// for <see cref="CostPerEvent"/> on each, as a formatter plus a slow device would. Spinning rather than sleeping,
/// because a sleep is at least tens of microseconds and would make the cost coarse; and no allocation. The count
/// is the destination's side of the ledger, to check against a wrapper's own accounting.
/// </summary>
public sealed class CountingSink : ILogEventSink
{
    long _received;
    long _notices;
    long _costTicks;
    long _firstAt;

    public CountingSink(TimeSpan costPerEvent = default) => CostPerEvent = costPerEvent;

    /// <summary>Caller events received so far.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>NonBlockingLog drop notices received so far (each also cost <see cref="CostPerEvent"/>).</summary>
    public long Notices => Interlocked.Read(ref _notices);

    /// <summary>Stopwatch timestamp of the first caller event, or 0: when a replacement destination took over.</summary>
    public long FirstAt => Interlocked.Read(ref _firstAt);

    /// <summary>Spin time per event; may be changed while events flow (a control loop steers it).</summary>
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

        if (DropNotices.IsNotice(logEvent))
        {
            Interlocked.Increment(ref _notices);
            return;
        }

        // Interlocked although one consumer writes at a time: a consumer abandoned after a stall may still return.
        if (Interlocked.Increment(ref _received) == 1) Interlocked.Exchange(ref _firstAt, Stopwatch.GetTimestamp());
    }
}
