using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using NonBlockingLog.Bench;
using NonBlockingLog.Bench.Peers;
using NonBlockingLog.Bench.Sinks;
using Serilog;
using Serilog.Core;

namespace NonBlockingLog.Benchmarks;

// Measures whether memory stays bounded under sustained ~10x overload: one producer emits 1,000,000 events as fast as
// it can (a few hundred ns per call) into a wrapper whose sink spins 3 us per event (CountingSink), about 10x slower
// than arrival, so roughly nine events in ten must be dropped. The timed part is the producer loop plus disposal;
// Mean is per event offered. After every iteration IterationCleanup samples Environment.WorkingSet and the GC heap,
// and GlobalCleanup prints, as "// " lines, the working set at setup, the largest and last per-iteration samples,
// and Process.PeakWorkingSet64 (the process's lifetime peak: BenchmarkDotNet runs each method in its own process,
// so it covers that method alone plus the harness's own footprint, which is the same for all).
// Why it is fair: the three wrappers get the same capacity (10,000), the same drop-when-full behaviour (NonBlocking
// DropNewest; Async bufferSize 10,000, blockWhenFull: false; Serilog 4's batching QueueLimit 10,000, which drops
// new events when full), the same slow sink and the same events; GlobalCleanup prints how many events each
// delivered and dropped, so the overload ratio is visible. Delivered counts caller events only (NonBlocking's few
// drop notices also cost the sink its 3 us each, and are printed apart). The batching sink counts no drops of its
// own: they are the events offered minus those delivered, once disposal has drained its queue. NonBlocking's level
// reserve and flood guard are off (reservedForWarnings: 0, floodLimit: 0), so that its queue holds the same 10,000
// Information events as the others' and the guard does not shed the one-template workload before the queue.
// Allocated is process-wide (GC.GetTotalAllocatedBytes), so it includes the consumers' allocations.
[MemoryDiagnoser]
public class OverloadMemoryBenchmarks
{
    const int Events = 1_000_000;
    const int Capacity = FilePeers.Capacity;
    static readonly TimeSpan SinkCost = TimeSpan.FromMicroseconds(3);

    Logger _log = null!;
    CountingSink _sink = null!;
    INonBlockingLogInspector? _nonBlocking;
    AsyncSinkMonitor? _async;
    string _name = "";
    int _iteration;
    long _offered, _delivered, _notices, _dropped;
    long _setupWorkingSet, _maxWorkingSet, _lastWorkingSet, _maxHeap;

    [GlobalSetup]
    public void SampleBaseline()
    {
        GC.Collect();
        _setupWorkingSet = Environment.WorkingSet;
    }

    [IterationSetup(Target = nameof(NonBlocking))]
    public void SetUpNonBlocking()
    {
        _sink = new CountingSink(SinkCost);
        var name = $"bench-overload-{_iteration}";
        _log = new LoggerConfiguration()
            .WriteTo.NonBlocking(to => to.Sink(_sink), capacity: Capacity, fullMode: QueueFullMode.DropNewest,
                shutdownTimeout: TimeSpan.FromSeconds(10), reservedForWarnings: 0, floodLimit: 0, name: name)
            .CreateLogger();
        _nonBlocking = NonBlockingLogSinks.Find(name) ?? throw new InvalidOperationException($"No sink named {name}.");
        _name = "NonBlocking";
    }

    [IterationSetup(Target = nameof(SerilogAsync))]
    public void SetUpAsync()
    {
        _sink = new CountingSink(SinkCost);
        _async = new AsyncSinkMonitor();
        _log = new LoggerConfiguration()
            .WriteTo.Async(to => to.Sink(_sink), bufferSize: Capacity, blockWhenFull: false, monitor: _async)
            .CreateLogger();
        _name = "SerilogAsync";
    }

    [IterationSetup(Target = nameof(SerilogBatched))]
    public void SetUpBatched()
    {
        _sink = new CountingSink(SinkCost);
        _log = new LoggerConfiguration().WriteTo.Sink(new BatchedSink(_sink), SerilogBatching.Options(queueLimit: Capacity)).CreateLogger();
        _name = "SerilogBatched";
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public void SerilogAsync() => ProduceThenDispose();

    [Benchmark(OperationsPerInvoke = Events)]
    public void NonBlocking() => ProduceThenDispose();

    [Benchmark(OperationsPerInvoke = Events)]
    public void SerilogBatched() => ProduceThenDispose();

    void ProduceThenDispose()
    {
        var log = _log;
        for (var i = 0; i < Events; i++) Workload.Log(log, i);
        log.Dispose();
    }

    [IterationCleanup]
    public void Sample()
    {
        _lastWorkingSet = Environment.WorkingSet;
        _maxWorkingSet = Math.Max(_maxWorkingSet, _lastWorkingSet);
        _maxHeap = Math.Max(_maxHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
        _offered += Events;
        _delivered += _sink.Received;
        _notices += _sink.Notices;
        if (_nonBlocking?.GetSnapshot() is { } s) _dropped += s.Dropped;
        else if (_async?.Inspector is { } a) _dropped += a.DroppedMessagesCount;
        else _dropped += Events - _sink.Received;
        _nonBlocking = null;
        _async = null;
        _iteration++;
    }

    [GlobalCleanup]
    public void Report()
    {
        const double MB = 1024 * 1024;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine($"// {_name}: {_iteration} iterations: {_offered:N0} offered, {_delivered:N0} delivered ({100.0 * _delivered / _offered:F1}%), {_dropped:N0} dropped, {_notices:N0} drop notices");
        Console.WriteLine($"// {_name} working set: at setup {_setupWorkingSet / MB:F1} MB, largest after an iteration {_maxWorkingSet / MB:F1} MB, after the last {_lastWorkingSet / MB:F1} MB; largest GC heap after an iteration {_maxHeap / MB:F1} MB");
        Console.WriteLine($"// {_name} PeakWorkingSet64 {process.PeakWorkingSet64 / MB:F1} MB (process lifetime)");
    }
}
