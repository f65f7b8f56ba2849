using BenchmarkDotNet.Attributes;
using NonBlockingLog.Bench;
using NonBlockingLog.Bench.Peers;
using NonBlockingLog.Bench.Sinks;
using Serilog.Core;

namespace NonBlockingLog.Benchmarks;

// Measures end-to-end throughput, per event: 2 producer threads log 200,000 events in total into a file, and the
// clock stops only when the logger is disposed, i.e. when every event is formatted and handed to the OS.
// Why it is fair: every peer (set up in FilePeers and NLogFileSetup, shared with the steady-state harness) writes
// the same line to a fresh file in the same temp folder, and none may lose an event: the bounded background
// writers each get a 10,000-event queue that blocks callers when full, and Serilog 4's batching, which cannot
// block, gets an unbounded queue. After every iteration each line of the file must be a workload line and each
// request id must be there exactly once (and NonBlockingFile's own counters must show N written, 0 dropped, and
// the batching sink's N handed to the file), or the run fails. Logger construction, file creation, the checks and
// the file's deletion happen in IterationSetup/IterationCleanup, outside the timing; opening the file on the first
// write (NLog, NonBlockingFile) stays inside, well under 1% of an iteration.
// The peers run in their fastest no-loss setting (buffered, written when the buffer fills and at disposal);
// NonBlockingFile hands each batch (up to 1,000 events) to the OS, which is stricter, so any gap favours the peers.
// The batching row's queue is unbounded, so its callers never wait: its time is mostly its consumer draining the
// backlog during disposal, and its memory grows with that backlog.
// Allocated is process-wide (GC.GetTotalAllocatedBytes), so it includes the background writers' allocations.
// The Clef rows write the same events as JSON lines with Serilog.Formatting.Compact's CompactJsonFormatter (set up
// in ClefFilePeers): Serilog.Sinks.Async + File with it, against NonBlockingFile given it (which formats with its
// byte-identical ClefFormatter); their files are checked as CLEF lines.
[MemoryDiagnoser]
public class EndToEndThroughputBenchmarks
{
    const int Events = 200_000;
    const int Producers = 2;

    string _folder = "";
    string _path = "";
    int _iteration;
    int _verifiedIterations;
    string _sampleLine = "";
    LineFormat _format;
    Logger? _serilog;
    NLog.LogFactory? _nlogFactory;
    NLog.Logger? _nlog;
    INonBlockingLogInspector? _inspector;
    BatchedSink? _batched;

    [GlobalSetup]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "NonBlockingLog.Benchmarks", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [IterationSetup(Target = nameof(SerilogFile))]
    public void SetUpSerilogFile() => _serilog = FilePeers.SerilogFile(NextPath());

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public void SerilogFile() => LogThenDispose(_serilog!);

    [IterationSetup(Target = nameof(SerilogAsyncFile))]
    public void SetUpSerilogAsyncFile() => _serilog = FilePeers.SerilogAsyncFile(NextPath());

    [Benchmark(OperationsPerInvoke = Events)]
    public void SerilogAsyncFile() => LogThenDispose(_serilog!);

    [IterationSetup(Target = nameof(SerilogBatchedFile))]
    public void SetUpSerilogBatchedFile() => _serilog = FilePeers.SerilogBatchedFile(NextPath(), out _batched);

    [Benchmark(OperationsPerInvoke = Events)]
    public void SerilogBatchedFile() => LogThenDispose(_serilog!);

    [IterationSetup(Target = nameof(NonBlockingFile))]
    public void SetUpNonBlockingFile()
    {
        var name = $"bench-end-to-end-{_iteration}";
        _serilog = FilePeers.NonBlockingFile(NextPath(), name);

        // Captured before disposal, which unregisters the sink; its counters stay readable afterwards.
        _inspector = NonBlockingLogSinks.Find(name) ?? throw new InvalidOperationException($"No NonBlockingLog sink named {name}.");
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public void NonBlockingFile() => LogThenDispose(_serilog!);

    [IterationSetup(Target = nameof(SerilogAsyncFileClef))]
    public void SetUpSerilogAsyncFileClef() => _serilog = ClefFilePeers.SerilogAsyncFile(NextPath(LineFormat.Clef));

    [Benchmark(OperationsPerInvoke = Events)]
    public void SerilogAsyncFileClef() => LogThenDispose(_serilog!);

    [IterationSetup(Target = nameof(NonBlockingFileClef))]
    public void SetUpNonBlockingFileClef()
    {
        var name = $"bench-end-to-end-clef-{_iteration}";
        _serilog = ClefFilePeers.NonBlockingFile(NextPath(LineFormat.Clef), name);
        _inspector = NonBlockingLogSinks.Find(name) ?? throw new InvalidOperationException($"No NonBlockingLog sink named {name}.");
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public void NonBlockingFileClef() => LogThenDispose(_serilog!);

    [IterationSetup(Target = nameof(NLogAsyncFile))]
    public void SetUpNLogAsyncFile()
    {
        _nlogFactory = NLogFileSetup.Create(NextPath());
        _nlog = _nlogFactory.GetLogger("bench");
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public void NLogAsyncFile()
    {
        var log = _nlog!;
        Workload.OnThreads(Producers, Events, (from, to) => Workload.LogRange(log, from, to));
        _nlogFactory!.Flush(TimeSpan.FromSeconds(60));
        _nlogFactory.Dispose();
    }

    [IterationCleanup]
    public void VerifyAndDeleteFile()
    {
        _sampleLine = LogFile.Verify(_path, Events, format: _format);
        if (_inspector?.GetSnapshot() is { } snapshot && (snapshot.Written != Events || snapshot.Dropped != 0 || snapshot.Pending != 0))
        {
            throw new InvalidOperationException(
                $"NonBlockingFile {snapshot.Name}: written {snapshot.Written}, dropped {snapshot.Dropped}, pending {snapshot.Pending}; expected {Events} written.");
        }

        if (_batched is { Written: var written } && written != Events)
            throw new InvalidOperationException($"SerilogBatchedFile handed {written} events to the file sink; expected {Events}.");

        _inspector = null;
        _batched = null;
        _serilog = null;
        _nlog = null;
        _nlogFactory = null;
        File.Delete(_path);
        _verifiedIterations++;
    }

    [GlobalCleanup]
    public void DeleteFolder()
    {
        Directory.Delete(_folder, recursive: true);
        if (_verifiedIterations == 0) throw new InvalidOperationException("No iteration's output was verified.");
        Console.WriteLine($"// {_verifiedIterations} iterations verified; a line: {_sampleLine}");
    }

    static void LogThenDispose(Logger log)
    {
        Workload.OnThreads(Producers, Events, (from, to) => Workload.LogRange(log, from, to));
        log.Dispose();
    }

    string NextPath(LineFormat format = LineFormat.Text)
    {
        _format = format;
        return _path = Path.Combine(_folder, $"iteration-{_iteration++}.{(format == LineFormat.Clef ? "json" : "log")}");
    }
}
