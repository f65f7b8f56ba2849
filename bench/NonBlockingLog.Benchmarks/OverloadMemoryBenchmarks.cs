using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using NonBlockingLog.Benchmarks.Support;
using Serilog;
using Serilog.Core;

namespace NonBlockingLog.Benchmarks;

// Measures whether memory stays bounded under sustained ~10x overload: one producer emits 1,000,000 events as fast as
// it can (a few hundred ns per call) into a wrapper whose sink spins 3 us per event (SlowSink), about 10x slower than
// arrival, so roughly nine events in ten must be dropped. The timed part is the producer loop plus disposal; Mean is
// per event offered. After every iteration IterationCleanup samples Environment.WorkingSet and the GC heap, and
// GlobalCleanup prints, as "// " lines, the working set at setup, the largest and last per-iteration samples, and
// Process.PeakWorkingSet64 (the process's lifetime peak: BenchmarkDotNet runs each method in its own process, so
// it covers that method alone plus the harness's own footprint, which is the same for both).
// Why it is fair: both wrappers get the same capacity (10,000), the same drop-when-full behaviour (NonBlocking
// DropNewest; Async bufferSize 10,000, blockWhenFull: false), the same slow sink and the same events; GlobalCleanup
// prints how many events each delivered and dropped, so the overload ratio is visible (NonBlocking's "delivered"
// also counts the few drop-notice events it writes to the sink).
// Allocated is process-wide (GC.GetTotalAllocatedBytes), so it includes the consumers' allocations.
[MemoryDiagnoser]
[QuickJob]
public class OverloadMemoryBenchmarks
{
    const int Events = 1_000_000;
    const int Capacity = 10_000;
    static readonly TimeSpan SinkCost = TimeSpan.FromMicroseconds(3);

    Logger _log = null!;
    SlowSink _sink = null!;
    INonBlockingLogInspector? _nonBlocking;
    AsyncSinkMonitor? _async;
    int _iteration;
    bool _isNonBlocking;
    long _offered, _delivered, _dropped;
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
        _sink = new SlowSink(SinkCost);
        var name = $"bench-overload-{_iteration}";
        _log = new LoggerConfiguration()
            .WriteTo.NonBlocking(to => to.Sink(_sink), capacity: Capacity, fullMode: QueueFullMode.DropNewest,
                shutdownTimeout: TimeSpan.FromSeconds(10), name: name)
            .CreateLogger();
        _nonBlocking = NonBlockingLogSinks.Find(name) ?? throw new InvalidOperationException($"No sink named {name}.");
        _isNonBlocking = true;
    }

    [IterationSetup(Target = nameof(SerilogAsync))]
    public void SetUpAsync()
    {
        _sink = new SlowSink(SinkCost);
        _async = new AsyncSinkMonitor();
        _log = new LoggerConfiguration()
            .WriteTo.Async(to => to.Sink(_sink), bufferSize: Capacity, blockWhenFull: false, monitor: _async)
            .CreateLogger();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public void SerilogAsync() => ProduceThenDispose();

    [Benchmark(OperationsPerInvoke = Events)]
    public void NonBlocking() => ProduceThenDispose();

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
        _delivered += _sink.Emits;
        if (_nonBlocking?.GetSnapshot() is { } s) _dropped += s.Dropped;
        if (_async?.Inspector is { } a) _dropped += a.DroppedMessagesCount;
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
        var name = _isNonBlocking ? "NonBlocking" : "SerilogAsync";
        Console.WriteLine($"// {name}: {_iteration} iterations: {_offered:N0} offered, {_delivered:N0} delivered ({100.0 * _delivered / _offered:F1}%), {_dropped:N0} dropped");
        Console.WriteLine($"// {name} working set: at setup {_setupWorkingSet / MB:F1} MB, largest after an iteration {_maxWorkingSet / MB:F1} MB, after the last {_lastWorkingSet / MB:F1} MB; largest GC heap after an iteration {_maxHeap / MB:F1} MB");
        Console.WriteLine($"// {name} PeakWorkingSet64 {process.PeakWorkingSet64 / MB:F1} MB (process lifetime)");
    }
}
