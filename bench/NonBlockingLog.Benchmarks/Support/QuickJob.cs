using BenchmarkDotNet.Jobs;

namespace NonBlockingLog.Benchmarks.Support;

/// <summary>
/// One launch, five warm-ups (tiered JIT needs a few) and ten measured iterations: a whole pass takes a couple of
/// minutes on a busy 2-core machine. Indicative figures; for publishable ones raise the counts here.
/// </summary>
internal static class QuickJob
{
    public static readonly Job Instance = Job.Default.WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(10).WithId("Quick");

    /// <summary>
    /// Whether the command line names a job of its own (<c>--job Dry</c>, <c>-j short</c>, <c>--job=medium</c>).
    /// BenchmarkDotNet adds such a job to the ones already configured rather than replacing them, so the Quick job
    /// is configured only when the command line names none: otherwise a smoke run with <c>--job Dry</c> would
    /// also run every benchmark in the Quick job.
    /// </summary>
    public static bool IsNamedIn(string[] args) =>
        args.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.OrdinalIgnoreCase) || a.StartsWith("-j=", StringComparison.Ordinal));
}
