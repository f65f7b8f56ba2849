using BenchmarkDotNet.Attributes;
using NonBlockingLog.Bench;
using NonBlockingLog.Bench.Peers;
using NonBlockingLog.Bench.Sinks;
using Serilog;
using Serilog.Core;

namespace NonBlockingLog.Benchmarks;

// Measures what the calling thread pays for one log call, when the sink behind it does nothing: Serilog calling
// the sink directly (the floor), then WriteTo.NonBlocking, WriteTo.Async and Serilog 4's built-in batching, each
// wrapping the same do-nothing sink.
// Why it is fair: the same call on one thread, the same 10,000-event capacity, and the same full behaviour (all
// three drop when full: NonBlocking's DropNewest, Async's default blockWhenFull: false, and batching's QueueLimit,
// which always drops). A drop is a cheaper path than an enqueue, so GlobalCleanup prints how many events each
// wrapper dropped: a run that mostly dropped shows up there. The batching sink counts nothing, so its drops are the
// calls minus what reached the sink once disposal has drained its queue.
// The flood guard: one thread logging one template as fast as it can is a flood to the guard's default (100,000
// events a second), so NonBlocking runs with the guard off (floodLimit: 0), the queue alone; NonBlockingGuarded
// with a limit it never reaches (int.MaxValue), so that every call does the guard's work and passes, as a call
// from a call site that is not flooding does; and NonBlockingSuppressed with a limit of 1, so that nearly every
// call is a flooding call the guard suppresses before the queue.
// Allocated is process-wide (GC.GetTotalAllocatedBytes), so it includes the background consumers' allocations.
[MemoryDiagnoser]
public class CallerCostBenchmarks
{
    const string SinkName = "bench-caller-cost";

    Logger _log = null!;
    INonBlockingLogInspector? _nonBlocking;
    AsyncSinkMonitor? _async;
    BatchedSink? _batched;
    int _requestId;

    [GlobalSetup(Target = nameof(SerilogDirect))]
    public void SetUpDirect() => _log = new LoggerConfiguration().WriteTo.Sink(new NullSink()).CreateLogger();

    [GlobalSetup(Target = nameof(NonBlocking))]
    public void SetUpNonBlocking() => SetUpNonBlocking(floodLimit: 0);

    [GlobalSetup(Target = nameof(NonBlockingGuarded))]
    public void SetUpNonBlockingGuarded() => SetUpNonBlocking(floodLimit: int.MaxValue);

    [GlobalSetup(Target = nameof(NonBlockingSuppressed))]
    public void SetUpNonBlockingSuppressed() => SetUpNonBlocking(floodLimit: 1);

    void SetUpNonBlocking(int floodLimit)
    {
        _log = new LoggerConfiguration()
            .WriteTo.NonBlocking(to => to.Sink(new NullSink()), capacity: FilePeers.Capacity, fullMode: QueueFullMode.DropNewest,
                floodLimit: floodLimit, name: SinkName)
            .CreateLogger();
        _nonBlocking = NonBlockingLogSinks.Find(SinkName);
    }

    [GlobalSetup(Target = nameof(SerilogAsync))]
    public void SetUpAsync()
    {
        _async = new AsyncSinkMonitor();
        _log = new LoggerConfiguration().WriteTo.Async(to => to.Sink(new NullSink()), bufferSize: FilePeers.Capacity, monitor: _async).CreateLogger();
    }

    [GlobalSetup(Target = nameof(SerilogBatched))]
    public void SetUpBatched()
    {
        _batched = new BatchedSink(new NullSink());
        _log = new LoggerConfiguration().WriteTo.Sink(_batched, SerilogBatching.Options(queueLimit: FilePeers.Capacity)).CreateLogger();
    }

    [Benchmark(Baseline = true)]
    public void SerilogDirect() => Workload.Log(_log, _requestId++);

    [Benchmark]
    public void NonBlocking() => Workload.Log(_log, _requestId++);

    [Benchmark]
    public void NonBlockingGuarded() => Workload.Log(_log, _requestId++);

    [Benchmark]
    public void NonBlockingSuppressed() => Workload.Log(_log, _requestId++);

    [Benchmark]
    public void SerilogAsync() => Workload.Log(_log, _requestId++);

    [Benchmark]
    public void SerilogBatched() => Workload.Log(_log, _requestId++);

    [GlobalCleanup]
    public void DisposeAndReport()
    {
        _log.Dispose();
        if (_nonBlocking?.GetSnapshot() is { } s)
            Console.WriteLine($"// NonBlocking (floodLimit {s.FloodLimit}): {s.Enqueued} enqueued, {s.Written} written, {s.Dropped} dropped " +
                              $"({s.DroppedByReason[DropReason.FloodLimit]} by the flood guard) of {_requestId} calls");
        if (_async?.Inspector is { } a)
            Console.WriteLine($"// SerilogAsync: {a.DroppedMessagesCount} dropped of {_requestId} calls");
        if (_batched is { } b)
            Console.WriteLine($"// SerilogBatched: {b.Written} written, {_requestId - b.Written} dropped of {_requestId} calls");
    }
}
