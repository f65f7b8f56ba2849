using Serilog.Sinks.Async;

namespace NonBlockingLog.Bench.Peers;

/// <summary>Keeps Serilog.Sinks.Async's inspector so that a benchmark can report how many events it dropped.</summary>
public sealed class AsyncSinkMonitor : IAsyncLogEventSinkMonitor
{
    public IAsyncLogEventSinkInspector? Inspector { get; private set; }

    public void StartMonitoring(IAsyncLogEventSinkInspector inspector) => Inspector = inspector;

    // The inspector stays readable after the sink is disposed; keep it for the final report.
    public void StopMonitoring(IAsyncLogEventSinkInspector inspector)
    {
    }
}
