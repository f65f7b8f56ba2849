using Serilog;
using Serilog.Core;
using Serilog.Formatting.Compact;

namespace NonBlockingLog.Bench.Peers;

/// <summary>
/// The <see cref="FilePeers"/> set-ups with the workload's events written as CLEF (JSON lines) by
/// Serilog.Formatting.Compact's CompactJsonFormatter instead of the output template: the same queues, buffering and
/// no-loss settings, so that a CLEF row differs from its text row only in the formatter. NonBlockingFile is handed
/// the library's formatter as a user would hand it, and formats with its own byte-identical ClefFormatter.
/// </summary>
public static class ClefFilePeers
{
    static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(10);
    static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Serilog.Sinks.File alone, on the calling thread, with CompactJsonFormatter.</summary>
    public static Logger SerilogFile(string path) =>
        new LoggerConfiguration().WriteTo.File(new CompactJsonFormatter(), path, buffered: true).CreateLogger();

    /// <summary>Serilog.Sinks.Async (blockWhenFull) in front of Serilog.Sinks.File with CompactJsonFormatter.</summary>
    public static Logger SerilogAsyncFile(string path, AsyncSinkMonitor? monitor = null) => new LoggerConfiguration()
        .WriteTo.Async(to => to.File(new CompactJsonFormatter(), path, buffered: true),
            bufferSize: FilePeers.Capacity, blockWhenFull: true, monitor: monitor)
        .CreateLogger();

    /// <summary>WriteTo.NonBlockingFile with <c>formatter: new CompactJsonFormatter()</c>, in Wait mode; find its inspector by <paramref name="name"/>.</summary>
    public static Logger NonBlockingFile(string path, string name) => new LoggerConfiguration()
        .WriteTo.NonBlockingFile(path, formatter: new CompactJsonFormatter(), capacity: FilePeers.Capacity, fullMode: QueueFullMode.Wait,
            waitTimeout: WaitTimeout, shutdownTimeout: ShutdownTimeout, floodLimit: 0, name: name)
        .CreateLogger();
}
