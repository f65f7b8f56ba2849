using System.Diagnostics;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Benchmarks.Support;

/// <summary>A sink that spins for a fixed time per event (no sleep, no allocation): a destination slower than arrival.</summary>
internal sealed class SlowSink(TimeSpan perEvent) : ILogEventSink
{
    readonly long _ticks = (long)(perEvent.TotalSeconds * Stopwatch.Frequency);
    long _emits;

    public long Emits => Interlocked.Read(ref _emits);

    public void Emit(LogEvent logEvent)
    {
        var until = Stopwatch.GetTimestamp() + _ticks;
        while (Stopwatch.GetTimestamp() < until) Thread.SpinWait(10);
        Interlocked.Increment(ref _emits);
    }
}
