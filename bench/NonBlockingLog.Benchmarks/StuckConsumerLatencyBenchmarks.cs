using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using NonBlockingLog.Bench;
using NonBlockingLog.Bench.Latency;
using NonBlockingLog.Bench.Peers;
using NonBlockingLog.Bench.Sinks;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Benchmarks;

// Measures what a caller pays per log call while the consumer is stuck for good: the wrapped sink hangs inside Emit
// from its first event (GatedSink), so the queue fills and every further call is dropped. As many producer threads
// as cores (Environment.ProcessorCount, 2 here) each make 300,000 calls per iteration. BenchmarkDotNet's Mean is
// per call; because a mean hides the tail, each call is also timed with Stopwatch.GetTimestamp into a per-thread
// long[] allocated in GlobalSetup (no allocation per call), merged into a histogram in IterationCleanup (outside the
// timing), and GlobalCleanup prints p50/p99/p99.9/max as "// " lines, over the measured iterations only (the
// jitting and warm-up iterations, the first WarmupIterations, are left out).
// Why it is fair: the three wrappers wrap the same kind of gated sink, have the same 10,000-event capacity and the
// same full behaviour (WriteTo.NonBlocking with DropNewest; WriteTo.Async with blockWhenFull: false; Serilog 4's
// batching with QueueLimit 10,000, which drops new events when full); GlobalSetup makes the consumer hang and
// fills the queue before the first timed call, and GlobalCleanup prints each wrapper's drop count, so a run where
// calls were not dropped shows up (the batching sink has no counters: its setup cannot check that its queue is
// full, and its drops are the calls minus what reached the sink once the gate opened and disposal drained the
// queue). The two timestamps per call cost the same for every peer.
// Cleanup opens the gate so that disposal does not hang (NonBlocking's shutdownTimeout is 1 s anyway).
// Two calls (Call): Information is the workload, where Serilog builds a LogEvent on every call (~490 B of
// allocation, and with it the collector's pauses) before any sink sees it; PrebuiltEvent writes one LogEvent built
// in GlobalSetup through the same logger (ILogger.Write), which leaves only the logger's dispatch and the sink, so
// the tail measured is the wrapper's own. SerilogAlone, the same logger with a do-nothing sink and no wrapper, is
// the floor each call has before any sink adds to it: no wrapper's tail can be lower than that. NonBlocking's level
// reserve and flood guard are off (reservedForWarnings: 0, floodLimit: 0): the queue fills to its capacity as the
// others' do, and every call takes the queue-full drop path rather than the guard's.
// Allocated is process-wide (GC.GetTotalAllocatedBytes), so it includes the stuck consumers (which allocate nothing
// while stuck) and the producer threads created per iteration; like Mean it is divided by CallsPerThread, so it
// covers one call on each of the Producers threads: per call it is Allocated / Producers.
[MemoryDiagnoser]
public class StuckConsumerLatencyBenchmarks
{
    const int Capacity = FilePeers.Capacity;
    const int HangAndFillCalls = 1 + 2 * Capacity; // the calls HangAndFill makes before any timing
    const int CallsPerThread = 300_000;
    const int WarmupIterations = 6; // 1 jitting + QuickJob's 5 warm-ups; the rest are measured (and the memory run)
    const string SinkName = "bench-stuck-consumer";
    static readonly int Producers = Environment.ProcessorCount;

    readonly GatedSink _gate = new();
    readonly LatencyHistogram _histogram = new();
    long[][] _latencies = [];
    Logger _log = null!;
    LogEvent _prebuilt = null!;
    INonBlockingLogInspector? _nonBlocking;
    AsyncSinkMonitor? _async;
    BatchedSink? _batched;
    int _iterations;
    long _calls;

    public enum CallKind { Information, PrebuiltEvent }

    [Params(CallKind.Information, CallKind.PrebuiltEvent)]
    public CallKind Call { get; set; }

    [GlobalSetup(Target = nameof(SerilogAlone))]
    public void SetUpAlone()
    {
        _log = new LoggerConfiguration().WriteTo.Sink(new NullSink()).CreateLogger();
        PrepareCalls();
    }

    [GlobalSetup(Target = nameof(NonBlocking))]
    public void SetUpNonBlocking()
    {
        _log = new LoggerConfiguration()
            .WriteTo.NonBlocking(to => to.Sink(_gate), capacity: Capacity, fullMode: QueueFullMode.DropNewest,
                shutdownTimeout: TimeSpan.FromSeconds(1), reservedForWarnings: 0, floodLimit: 0, name: SinkName)
            .CreateLogger();
        _nonBlocking = NonBlockingLogSinks.Find(SinkName) ?? throw new InvalidOperationException($"No sink named {SinkName}.");
        HangAndFill();
        var s = _nonBlocking.GetSnapshot();
        if (s.Dropped == 0 || s.QueueDepth < Capacity - 1)
            throw new InvalidOperationException($"NonBlocking is not full: depth {s.QueueDepth}, dropped {s.Dropped}.");
    }

    [GlobalSetup(Target = nameof(SerilogAsync))]
    public void SetUpAsync()
    {
        _async = new AsyncSinkMonitor();
        _log = new LoggerConfiguration()
            .WriteTo.Async(to => to.Sink(_gate), bufferSize: Capacity, blockWhenFull: false, monitor: _async)
            .CreateLogger();
        HangAndFill();
        var a = _async.Inspector ?? throw new InvalidOperationException("Serilog.Sinks.Async gave no inspector.");
        if (a.DroppedMessagesCount == 0 || a.Count < Capacity)
            throw new InvalidOperationException($"SerilogAsync is not full: count {a.Count}, dropped {a.DroppedMessagesCount}.");
    }

    [GlobalSetup(Target = nameof(SerilogBatched))]
    public void SetUpBatched()
    {
        _batched = new BatchedSink(_gate);
        _log = new LoggerConfiguration().WriteTo.Sink(_batched, SerilogBatching.Options(queueLimit: Capacity)).CreateLogger();
        HangAndFill();
    }

    [Benchmark(OperationsPerInvoke = CallsPerThread)]
    public void SerilogAlone() => ProduceTimed();

    [Benchmark(Baseline = true, OperationsPerInvoke = CallsPerThread)]
    public void SerilogAsync() => ProduceTimed();

    [Benchmark(OperationsPerInvoke = CallsPerThread)]
    public void NonBlocking() => ProduceTimed();

    [Benchmark(OperationsPerInvoke = CallsPerThread)]
    public void SerilogBatched() => ProduceTimed();

    // Each thread makes CallsPerThread calls; the threads run concurrently, so an iteration's time divided by
    // CallsPerThread is the mean time one caller waits per call under contention from the others.
    void ProduceTimed()
    {
        var log = _log;
        var prebuilt = Call == CallKind.PrebuiltEvent ? _prebuilt : null;
        var workers = new Thread[Producers];
        for (var t = 0; t < Producers; t++)
        {
            var samples = _latencies[t];
            var first = t * CallsPerThread;
            workers[t] = new Thread(() =>
            {
                for (var i = 0; i < samples.Length; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    if (prebuilt is null) Workload.Log(log, first + i);
                    else log.Write(prebuilt);
                    samples[i] = Stopwatch.GetTimestamp() - start;
                }
            }) { Name = $"producer {t}" };
        }

        foreach (var worker in workers) worker.Start();
        foreach (var worker in workers) worker.Join();
    }

    [IterationCleanup]
    public void MergeLatencies()
    {
        _calls += (long)Producers * CallsPerThread;
        if (_iterations++ < WarmupIterations) return;
        foreach (var samples in _latencies) _histogram.RecordAll(samples, samples.Length);
    }

    [GlobalCleanup]
    public void ReleaseAndReport()
    {
        var name = _nonBlocking is not null ? "NonBlocking" : _async is not null ? "SerilogAsync" : _batched is not null ? "SerilogBatched" : "SerilogAlone";
        Console.WriteLine(_histogram.Summary($"{name} ({Call}) per-call latency, {Producers} threads, {Math.Max(0, _iterations - WarmupIterations)} of {_iterations} iterations"));
        if (_nonBlocking?.GetSnapshot() is { } s)
            Console.WriteLine($"// NonBlocking: {s.Enqueued:N0} enqueued, {s.Dropped:N0} dropped of {_calls:N0} timed calls (+ setup), depth {s.QueueDepth:N0}, stall restarts {s.StallRestarts}");
        if (_async?.Inspector is { } a)
            Console.WriteLine($"// SerilogAsync: {a.DroppedMessagesCount:N0} dropped of {_calls:N0} timed calls (+ setup), count {a.Count:N0}");

        _gate.Open();
        if (_nonBlocking is null && _async is null && _batched is null)
        {
            _log.Dispose();
            return;
        }

        var sw = Stopwatch.StartNew();
        _log.Dispose();
        Console.WriteLine($"// disposal took {sw.ElapsedMilliseconds} ms after the gate opened; the sink got {_gate.Calls:N0} events");
        if (_batched is { Written: var written })
        {
            var offered = _calls + HangAndFillCalls;
            Console.WriteLine($"// SerilogBatched: {offered - written:N0} dropped of {_calls:N0} timed calls + {HangAndFillCalls:N0} in setup, {written:N0} reached the sink");
        }
    }

    // The event PrebuiltEvent writes, and the per-thread latency arrays, allocated before any timing.
    void PrepareCalls()
    {
        _prebuilt = Workload.Build(_log, 0);
        _latencies = new long[Producers][];
        for (var t = 0; t < Producers; t++) _latencies[t] = new long[CallsPerThread];
    }

    // Makes the consumer hang inside Emit, then offers twice the capacity so that the queue is full before timing.
    void HangAndFill()
    {
        PrepareCalls();

        Workload.Log(_log, -1);
        if (!_gate.WaitUntilStuck(TimeSpan.FromSeconds(10))) throw new InvalidOperationException("The consumer never reached the sink.");
        for (var i = 1; i < HangAndFillCalls; i++) Workload.Log(_log, -1 - i);
    }
}
