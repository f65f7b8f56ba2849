using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;

namespace NonBlockingLog.Benchmarks.Support;

/// <summary>
/// One launch, five warm-ups (tiered JIT needs a few) and ten measured iterations: a whole pass takes a couple of
/// minutes on a busy 2-core machine. Indicative figures; for publishable ones raise the counts here.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class QuickJobAttribute() : JobConfigBaseAttribute(
    Job.Default.WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(10).WithId("Quick"));
