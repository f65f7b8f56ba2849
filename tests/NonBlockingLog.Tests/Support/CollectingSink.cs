using Serilog.Events;

namespace NonBlockingLog.Tests.Support;

/// <summary>Keeps every event it receives; counts disposals.</summary>
public sealed class CollectingSink : RecordingSink, IDisposable
{
    public int Disposals;

    public override void Emit(LogEvent logEvent) => Record(logEvent);

    public void Dispose() => Interlocked.Increment(ref Disposals);
}
