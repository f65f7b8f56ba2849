using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Consumption;

/// <summary>Writes to the sink(s) that <c>WriteTo.NonBlocking(configure)</c> built; each decides its own flushing.</summary>
internal sealed class SinkBatchWriter(ILogEventSink sink) : IBatchWriter
{
    public string Description { get; } = sink.GetType().FullName ?? sink.GetType().Name;

    public void Write(LogEvent logEvent) => sink.Emit(logEvent);

    public void FlushBatch()
    {
    }

    public bool DefersFlush => false;

    public void Recover()
    {
    }

    public void Dispose() => (sink as IDisposable)?.Dispose();
}
