using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using NonBlockingLog.Bench;
using NonBlockingLog.Bench.Latency;
using NonBlockingLog.Bench.Sinks;
using NonBlockingLog.Benchmarks.Support;
using Serilog;
using Serilog.Core;

namespace NonBlockingLog.Benchmarks;

// What a caller pays per log call, and what the background thread burns, at the rates services really log at: one
// event every GapMicroseconds (20 us is 50,000 events a second, 100 us is 10,000), not as fast as a loop can. At
// full speed a consumer always has work; between paced events it runs dry, and how it then waits decides whether
// each caller pays to wake it (a futex call, several microseconds here) and how much processor it spins away.
// One thread calls the logger, waiting for each event's time by spinning on the clock (so the caller's own
// processor use is the spin, not the logger); the sink behind each wrapper does nothing. Each call is timed with
// Stopwatch.GetTimestamp into an array allocated in GlobalSetup; GlobalCleanup prints the calls' mean, p50, p99
// and p99.9 over the measured iterations, and the processor time the rest of the process used per second
// (process time minus the calling thread's, from /proc): for SerilogDirect that is the harness's own floor.
// BenchmarkDotNet's Mean here is the gap itself (each operation waits for its turn) and is not the figure to read.
[MemoryDiagnoser]
public class PacedCallerBenchmarks
{
    const int WarmupIterations = 6; // 1 jitting + QuickJob's 5 warm-ups
    const string SinkName = "bench-paced";
    static readonly TimeSpan IterationLength = TimeSpan.FromMilliseconds(200);

    readonly LatencyHistogram _histogram = new();
    long[] _samples = [];
    Logger _log = null!;
    string _name = "";
    int _iterations;
    TimeSpan _otherCpu;
    TimeSpan _measuredTime;
    TimeSpan _processCpuAtStart;
    TimeSpan _callerCpuAtStart;
    long _startedAt;

    [Params(20, 100)]
    public int GapMicroseconds { get; set; }

    int CallsPerIteration => (int)(IterationLength.TotalMicroseconds / GapMicroseconds);

    [GlobalSetup(Target = nameof(SerilogDirect))]
    public void SetUpDirect() => SetUp("SerilogDirect", new LoggerConfiguration().WriteTo.Sink(new NullSink()).CreateLogger());

    [GlobalSetup(Target = nameof(NonBlocking))]
    public void SetUpNonBlocking() => SetUp("NonBlocking",
        new LoggerConfiguration().WriteTo.NonBlocking(to => to.Sink(new NullSink()), name: SinkName).CreateLogger());

    [GlobalSetup(Target = nameof(SerilogAsync))]
    public void SetUpAsync() => SetUp("SerilogAsync", new LoggerConfiguration().WriteTo.Async(to => to.Sink(new NullSink())).CreateLogger());

    void SetUp(string name, Logger log)
    {
        _name = name;
        _log = log;
        _samples = new long[CallsPerIteration];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 1)]
    public void SerilogDirect() => ProducePaced();

    [Benchmark(OperationsPerInvoke = 1)]
    public void NonBlocking() => ProducePaced();

    [Benchmark(OperationsPerInvoke = 1)]
    public void SerilogAsync() => ProducePaced();

    [IterationSetup]
    public void StartClocks()
    {
        _processCpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        _callerCpuAtStart = ThreadCpu.Current();
        _startedAt = Stopwatch.GetTimestamp();
    }

    void ProducePaced()
    {
        var log = _log;
        var samples = _samples;
        var gap = GapMicroseconds * Stopwatch.Frequency / 1_000_000;
        var next = Stopwatch.GetTimestamp();
        for (var i = 0; i < samples.Length; i++)
        {
            next += gap;
            while (Stopwatch.GetTimestamp() < next)
            {
            }

            var start = Stopwatch.GetTimestamp();
            Workload.Log(log, i);
            samples[i] = Stopwatch.GetTimestamp() - start;
        }
    }

    [IterationCleanup]
    public void MergeLatencies()
    {
        var elapsed = Stopwatch.GetElapsedTime(_startedAt);
        var other = Process.GetCurrentProcess().TotalProcessorTime - _processCpuAtStart - (ThreadCpu.Current() - _callerCpuAtStart);
        if (_iterations++ < WarmupIterations) return;
        _histogram.RecordAll(_samples, _samples.Length);
        _otherCpu += other;
        _measuredTime += elapsed;
    }

    [GlobalCleanup]
    public void Report()
    {
        Console.WriteLine(_histogram.Summary($"{_name} every {GapMicroseconds} us, mean {_histogram.MeanNanoseconds:N0} ns"));
        Console.WriteLine($"// {_name} every {GapMicroseconds} us: the rest of the process used {_otherCpu.TotalMilliseconds / _measuredTime.TotalSeconds:N0} ms of processor time per second");
        _log.Dispose();
    }
}
