using NonBlockingLog.Bench.Sinks;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;

namespace NonBlockingLog.Bench.Peers;

/// <summary>
/// The Serilog loggers that write the workload's lines to a file, set up once for the end-to-end benchmark and the
/// steady-state harness alike. None may lose an event: every queue holds <see cref="Capacity"/> events and makes
/// callers wait when full, except Serilog 4's batching, which cannot wait and so is unbounded. The peers' files
/// are buffered (written when the buffer fills and at disposal), their fastest no-loss setting; NonBlockingFile
/// hands each batch to the OS, which is stricter, so any gap from that favours the peers. NonBlockingLog's flood
/// guard is off (floodLimit: 0): the workload is one template at millions of events a second, which is a flood by
/// any measure, and every peer must write every event; its level reserve keeps its default.
/// </summary>
public static class FilePeers
{
    /// <summary>The queue capacity every bounded peer gets: Serilog.Sinks.Async's, NLog's and NonBlockingLog's default.</summary>
    public const int Capacity = 10_000;

    // Only guards against a hang: in Wait mode a caller that waited this long would see its event dropped,
    // which the checks after each run would report.
    static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(10);
    static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Serilog.Sinks.File alone, on the calling thread.</summary>
    public static Logger SerilogFile(string path) =>
        new LoggerConfiguration().WriteTo.File(path, outputTemplate: Workload.OutputTemplate, buffered: true).CreateLogger();

    /// <summary>Serilog.Sinks.Async (blockWhenFull) in front of Serilog.Sinks.File.</summary>
    public static Logger SerilogAsyncFile(string path, AsyncSinkMonitor? monitor = null) => new LoggerConfiguration()
        .WriteTo.Async(to => to.File(path, outputTemplate: Workload.OutputTemplate, buffered: true),
            bufferSize: Capacity, blockWhenFull: true, monitor: monitor)
        .CreateLogger();

    /// <summary>WriteTo.NonBlockingFile in Wait mode; find its inspector by <paramref name="name"/>.</summary>
    public static Logger NonBlockingFile(string path, string name) => new LoggerConfiguration()
        .WriteTo.NonBlockingFile(path, Workload.OutputTemplate, capacity: Capacity, fullMode: QueueFullMode.Wait,
            waitTimeout: WaitTimeout, shutdownTimeout: ShutdownTimeout, floodLimit: 0, name: name)
        .CreateLogger();

    /// <summary>WriteTo.NonBlocking in Wait mode wrapping Serilog.Sinks.File (buffered, as the peers have it).</summary>
    public static Logger NonBlockingWrappingFile(string path, string name) => new LoggerConfiguration()
        .WriteTo.NonBlocking(to => to.File(path, outputTemplate: Workload.OutputTemplate, buffered: true),
            capacity: Capacity, fullMode: QueueFullMode.Wait, waitTimeout: WaitTimeout, shutdownTimeout: ShutdownTimeout, floodLimit: 0, name: name)
        .CreateLogger();

    /// <summary>
    /// Serilog 4's batching, unbounded (see <see cref="SerilogBatching"/>), into Serilog.Sinks.File (buffered): each
    /// batch's events are emitted to the same file sink the other Serilog peers use, so that this row differs from
    /// SerilogAsyncFile only in how events are queued and handed over. Writing each batch through a hand-made
    /// StreamWriter and MessageTemplateTextFormatter instead would measure a different file writer, without
    /// Serilog.Sinks.File's locking and size checks, and would no longer be what a Serilog user deploys.
    /// <paramref name="sink"/> counts what reached the file sink.
    /// </summary>
    public static Logger SerilogBatchedFile(string path, out BatchedSink sink)
    {
        sink = new BatchedSink(LoggerSinkConfiguration.CreateSink(to => to.File(path, outputTemplate: Workload.OutputTemplate, buffered: true)));
        return new LoggerConfiguration().WriteTo.Sink(sink, SerilogBatching.Options(queueLimit: null)).CreateLogger();
    }
}
