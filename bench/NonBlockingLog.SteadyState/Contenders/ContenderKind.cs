using NonBlockingLog.Bench;
using NonBlockingLog.Bench.Peers;

namespace NonBlockingLog.SteadyState.Contenders;

/// <summary>
/// A contender as the table and the command line name it, what it is, how to build one on a file, and how it
/// writes the workload's lines (the Clef contenders write JSON lines with Serilog.Formatting.Compact's
/// CompactJsonFormatter, which NonBlockingFile replaces by its byte-identical ClefFormatter).
/// </summary>
internal sealed record ContenderKind(string Name, string Setup, Func<string, string, Contender> Create, LineFormat Format = LineFormat.Text)
{
    /// <summary>In the order of the table; the names are the end-to-end benchmark's methods.</summary>
    public static readonly IReadOnlyList<ContenderKind> All =
    [
        new("NonBlockingFile", "WriteTo.NonBlockingFile, Wait",
            (path, name) => NonBlockingContender.Create(n => FilePeers.NonBlockingFile(path, n), name)),
        new("NonBlockingWrappingFile", "WriteTo.NonBlocking(File, buffered), Wait",
            (path, name) => NonBlockingContender.Create(n => FilePeers.NonBlockingWrappingFile(path, n), name)),
        new("SerilogAsyncFile", "Serilog.Sinks.Async 2.1 (blockWhenFull) + File, buffered",
            (path, _) => SerilogAsyncContender.Create(path)),
        new("NLogAsyncFile", "NLog 6.2 AsyncTargetWrapper (Block) + FileTarget",
            (path, _) => new NLogContender(path)),
        new("SerilogBatchedFile", "Serilog 4.4 batching (QueueLimit null) + File, buffered",
            (path, _) => SerilogBatchedContender.Create(path)),
        new("NonBlockingFileClef", "WriteTo.NonBlockingFile(formatter: CompactJsonFormatter), Wait",
            (path, name) => NonBlockingContender.Create(n => ClefFilePeers.NonBlockingFile(path, n), name), LineFormat.Clef),
        new("SerilogAsyncFileClef", "Serilog.Sinks.Async 2.1 (blockWhenFull) + File(CompactJsonFormatter), buffered",
            (path, _) => SerilogAsyncContender.Create(path, ClefFilePeers.SerilogAsyncFile), LineFormat.Clef),
    ];
}
