using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Bench.Sinks;

/// <summary>A sink that does nothing, so that only the logging pipeline in front of it is measured.</summary>
public sealed class NullSink : ILogEventSink
{
    public void Emit(LogEvent logEvent)
    {
    }
}
