using NonBlockingLog.Bench.Peers;
using Serilog.Core;

namespace NonBlockingLog.SteadyState.Contenders;

/// <summary>
/// Serilog.Sinks.Async (blockWhenFull) over Serilog.Sinks.File: written means its buffer is empty, so at most the
/// one event its worker has just taken may still be on its way to the file sink.
/// </summary>
internal sealed class SerilogAsyncContender : SerilogContender
{
    readonly AsyncSinkMonitor _monitor;

    SerilogAsyncContender(Logger logger, AsyncSinkMonitor monitor) : base(logger) => _monitor = monitor;

    /// <summary>Built by <paramref name="build"/> (the text set-up, FilePeers.SerilogAsyncFile, unless another is given).</summary>
    public static SerilogAsyncContender Create(string path, Func<string, AsyncSinkMonitor?, Logger>? build = null)
    {
        var monitor = new AsyncSinkMonitor();
        return new((build ?? FilePeers.SerilogAsyncFile)(path, monitor), monitor);
    }

    public override void WaitUntilWritten(long logged) => Poll(() => Inspector.Count == 0, "Serilog.Sinks.Async draining its buffer");

    public override void CheckCounters(long logged)
    {
        if (Inspector.DroppedMessagesCount != 0)
            throw new InvalidOperationException($"Serilog.Sinks.Async dropped {Inspector.DroppedMessagesCount:N0} events.");
    }

    Serilog.Sinks.Async.IAsyncLogEventSinkInspector Inspector =>
        _monitor.Inspector ?? throw new InvalidOperationException("Serilog.Sinks.Async gave no inspector.");
}
