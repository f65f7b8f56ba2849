using NonBlockingLog.Bench.Peers;

namespace NonBlockingLog.SteadyState.Contenders;

/// <summary>
/// Serilog.Sinks.Async (blockWhenFull) over Serilog.Sinks.File: written means its buffer is empty, so at most the
/// one event its worker has just taken may still be on its way to the file sink.
/// </summary>
internal sealed class SerilogAsyncContender : SerilogContender
{
    readonly AsyncSinkMonitor _monitor;

    SerilogAsyncContender(string path, AsyncSinkMonitor monitor) : base(FilePeers.SerilogAsyncFile(path, monitor)) => _monitor = monitor;

    public static SerilogAsyncContender Create(string path) => new(path, new AsyncSinkMonitor());

    public override void WaitUntilWritten(long logged) => Poll(() => Inspector.Count == 0, "Serilog.Sinks.Async draining its buffer");

    public override void CheckCounters(long logged)
    {
        if (Inspector.DroppedMessagesCount != 0)
            throw new InvalidOperationException($"Serilog.Sinks.Async dropped {Inspector.DroppedMessagesCount:N0} events.");
    }

    Serilog.Sinks.Async.IAsyncLogEventSinkInspector Inspector =>
        _monitor.Inspector ?? throw new InvalidOperationException("Serilog.Sinks.Async gave no inspector.");
}
