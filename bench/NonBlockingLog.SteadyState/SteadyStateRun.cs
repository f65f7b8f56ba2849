using System.Diagnostics;
using NonBlockingLog.Bench;
using NonBlockingLog.Bench.Reporting;
using NonBlockingLog.SteadyState.Contenders;

namespace NonBlockingLog.SteadyState;

/// <summary>
/// One run of one contender on a fresh file: the warm-up (the JIT's tiers, the file opened, the queue running),
/// then the timed events on the same logger, with no disposal in between, as in a service that has been up for a
/// while. The timed phase runs from the first timed call until the contender has handed every event to its file
/// writer; disposal, and the checks of the file and the contender's counters, come after it.
/// </summary>
internal static class SteadyStateRun
{
    public static RunResult Execute(ContenderKind kind, SteadyStateOptions options, int round, string folder)
    {
        var path = Path.Combine(folder, $"{kind.Name}-{round}.{(kind.Format == LineFormat.Clef ? "json" : "log")}");
        var total = options.WarmupEvents + options.TimedEvents;

        // The previous run's garbage is collected now, not in this run's timed phase.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        try
        {
            RunResult result;
            using (var contender = kind.Create(path, $"steady-{kind.Name}-{round}"))
            {
                Workload.OnThreads(options.Producers, options.WarmupEvents, contender.Produce);
                contender.WaitUntilWritten(options.WarmupEvents);

                var cpuBefore = ProcessCpu();
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var pauseBefore = GC.GetTotalPauseDuration();
                var gen1Before = GC.CollectionCount(1);
                long elapsedTicks;
                long peakWorkingSet;
                var threadsBefore = ThreadCpu.Snapshot();
                double producersCpu = 0;
                var producersLock = new object();
                using (var sampler = new WorkingSetSampler())
                {
                    var started = Stopwatch.GetTimestamp();
                    Workload.OnThreads(options.Producers, options.TimedEvents, (from, to) =>
                    {
                        contender.Produce(from, to);

                        // Each timed producer is a thread of its own, started for this phase: all its time is the phase's.
                        var own = ThreadCpu.CurrentThread();
                        lock (producersLock) producersCpu += own;
                    }, first: options.WarmupEvents);
                    contender.WaitUntilWritten(total);
                    elapsedTicks = Stopwatch.GetTimestamp() - started;
                    peakWorkingSet = sampler.Peak;
                }

                var cpu = ProcessCpu() - cpuBefore;
                var byThread = ThreadCpu.Between(threadsBefore, ThreadCpu.Snapshot());
                var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                var pause = GC.GetTotalPauseDuration() - pauseBefore;
                var olderCollections = GC.CollectionCount(1) - gen1Before;
                result = new RunResult(kind.Name, round)
                {
                    EventsPerSecond = options.TimedEvents / ((double)elapsedTicks / Stopwatch.Frequency),
                    CpuNanosecondsPerEvent = cpu.TotalNanoseconds / options.TimedEvents,
                    ProducerCpuNanosecondsPerEvent = producersCpu / options.TimedEvents,
                    ThreadCpuNanosecondsPerEvent = byThread.Where(t => t.Value > 0).ToDictionary(t => t.Key, t => t.Value / options.TimedEvents),
                    AllocatedBytesPerEvent = (double)allocated / options.TimedEvents,
                    GcPauseNanosecondsPerEvent = pause.TotalNanoseconds / options.TimedEvents,
                    OlderCollections = olderCollections,
                    PeakWorkingSet = peakWorkingSet,
                };

                contender.Dispose();
                contender.CheckCounters(total);
            }

            LogFile.Verify(path, total, format: kind.Format);
            return result with { VerifiedLines = total };
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException)
        {
            return new RunResult(kind.Name, round) { Failure = ex.Message };
        }
        finally
        {
            if (File.Exists(path)) File.Delete(path);
        }
    }

    /// <summary>One line for stderr.</summary>
    public static string Describe(RunResult r) => r.Failure is { } failure
        ? $"FAILED: {failure}"
        : $"{Format.Count((long)r.EventsPerSecond)} events/s, {Format.Nanoseconds(r.CpuNanosecondsPerEvent)} CPU/event " +
          $"({CpuByThread(r)}), {r.AllocatedBytesPerEvent:0} B/event, peak working set {Format.Megabytes(r.PeakWorkingSet)}; " +
          $"{Format.Count(r.VerifiedLines)} lines verified";

    // The producers, then each named thread that used at least 10 ns an event, then the rest of the process (threads
    // that came and went, the rounding of /proc's 10 ms ticks).
    static string CpuByThread(RunResult r)
    {
        if (r.ProducerCpuNanosecondsPerEvent == 0) return "no per-thread split: /proc is Linux's";
        var named = r.ThreadCpuNanosecondsPerEvent.Where(t => t.Value >= 10).OrderByDescending(t => t.Value).ToList();
        var rest = r.CpuNanosecondsPerEvent - r.ProducerCpuNanosecondsPerEvent - named.Sum(t => t.Value);
        return string.Join(", ", new[] { $"producers {Format.Nanoseconds(r.ProducerCpuNanosecondsPerEvent)}" }
            .Concat(named.Select(t => $"'{t.Key}' {Format.Nanoseconds(t.Value)}"))
            .Append($"rest {Format.Nanoseconds(rest)}"));
    }

    static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
