using Serilog.Configuration;

namespace NonBlockingLog.Bench.Peers;

/// <summary>
/// Serilog 4's built-in batching as the benchmarks set it up: Serilog's defaults (batches of up to 1,000, a 2 s
/// buffering limit, the first event emitted eagerly) except for the queue limit, which each comparison sets.
/// When its queue is full the batching sink drops new events silently; it has no mode that waits for room, so a
/// comparison where nothing may be lost has to leave the queue unbounded (<c>queueLimit: null</c>), and its
/// memory then grows with any backlog.
/// </summary>
public static class SerilogBatching
{
    public static BatchingOptions Options(int? queueLimit) => new() { QueueLimit = queueLimit };
}
