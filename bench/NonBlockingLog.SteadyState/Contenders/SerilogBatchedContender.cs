using NonBlockingLog.Bench.Peers;
using NonBlockingLog.Bench.Sinks;
using Serilog.Core;

namespace NonBlockingLog.SteadyState.Contenders;

/// <summary>
/// Serilog 4's batching, unbounded, over Serilog.Sinks.File. Its loop emits a batch once it holds
/// BatchSizeLimit events or once BufferingTimeLimit (2 s) has passed, and it cannot be asked to flush; so
/// written means fewer than one batch is still queued. That last partial batch waits for the next phase (or
/// disposal), and the one from the warm-up is written in the timed phase: each phase is off by less than one
/// batch, 1,000 events, 0.025% of the default timed phase.
/// </summary>
internal sealed class SerilogBatchedContender : SerilogContender
{
    static readonly int BatchSizeLimit = SerilogBatching.Options(null).BatchSizeLimit;
    readonly BatchedSink _sink;

    SerilogBatchedContender(Logger logger, BatchedSink sink) : base(logger) => _sink = sink;

    public static SerilogBatchedContender Create(string path) => new(FilePeers.SerilogBatchedFile(path, out var sink), sink);

    public override void WaitUntilWritten(long logged) =>
        Poll(() => _sink.Written > logged - BatchSizeLimit, "Serilog's batching sink draining its queue");

    public override void CheckCounters(long logged)
    {
        if (_sink.Written != logged)
            throw new InvalidOperationException($"Serilog's batching sink handed {_sink.Written:N0} events to the file sink; expected {logged:N0}.");
    }
}
