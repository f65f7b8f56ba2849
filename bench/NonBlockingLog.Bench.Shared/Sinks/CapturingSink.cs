using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Bench.Sinks;

/// <summary>Keeps the last event it was given: a real event, captured by Serilog's own pipeline, to format in isolation.</summary>
public sealed class CapturingSink : ILogEventSink
{
    public LogEvent? Last { get; private set; }

    public void Emit(LogEvent logEvent) => Last = logEvent;
}
