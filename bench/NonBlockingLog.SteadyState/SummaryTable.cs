using NonBlockingLog.Bench.Reporting;
using NonBlockingLog.SteadyState.Contenders;

namespace NonBlockingLog.SteadyState;

/// <summary>The README's table: per contender, the median of its rounds (and the range of its rates), and its checks.</summary>
internal static class SummaryTable
{
    public static void Write(TextWriter output, SteadyStateOptions options, IReadOnlyList<RunResult> results, string commandLine)
    {
        output.WriteLine($"## Steady state: {options.Producers} producers, {Format.Count(options.WarmupEvents)} warm-up + " +
                         $"{Format.Count(options.TimedEvents)} timed events per run, {options.Rounds} rounds, medians");
        output.WriteLine();
        output.WriteLine($"`{commandLine}` · {Environment.ProcessorCount} cores · .NET {Environment.Version} · " +
                         $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription} · {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        output.WriteLine();

        var table = new MarkdownTable(
            ("contender", false), ("GC", false), ("set-up", false), ("events/s", true), ("range", true), ("CPU per event", true),
            ("callers' CPU per event", true), ("GC pause per event", true), ("gen1+ GCs", true), ("allocated per event", true), ("peak working set", true), ("checked", false));
        foreach (var gc in options.GcModes)
        foreach (var kind in options.Contenders)
        {
            var runs = results.Where(r => r.Contender == kind.Name && r.Gc == gc).ToList();
            var good = runs.Where(r => r.Failure is null).ToList();
            var failures = runs.Where(r => r.Failure is not null).Select(r => $"round {r.Round}: {r.Failure}").ToList();
            var check = failures.Count == 0
                ? $"{Format.Count(good.Count)} × {Format.Count(good.FirstOrDefault()?.VerifiedLines ?? 0)} lines"
                : "FAIL: " + string.Join("; ", failures);
            if (good.Count == 0)
            {
                table.Add(kind.Name, gc.ToString().ToLowerInvariant(), kind.Setup, "", "", "", "", "", "", "", "", check);
                continue;
            }

            table.Add(
                kind.Name,
                gc.ToString().ToLowerInvariant(),
                kind.Setup,
                Format.Count((long)Median(good, r => r.EventsPerSecond)),
                $"{Format.Count((long)good.Min(r => r.EventsPerSecond))}–{Format.Count((long)good.Max(r => r.EventsPerSecond))}",
                Format.Nanoseconds(Median(good, r => r.CpuNanosecondsPerEvent)),
                good.All(r => r.ProducerCpuNanosecondsPerEvent > 0) ? Format.Nanoseconds(Median(good, r => r.ProducerCpuNanosecondsPerEvent)) : "n/a",
                Format.Nanoseconds(Median(good, r => r.GcPauseNanosecondsPerEvent)),
                Format.Count((long)Median(good, r => r.OlderCollections)),
                $"{Median(good, r => r.AllocatedBytesPerEvent):0} B",
                Format.Megabytes(good.Max(r => r.PeakWorkingSet)),
                check);
        }

        table.WriteTo(output);
        output.WriteLine();
        output.WriteLine("events/s: timed events over the time from the first timed call until the contender had handed them all to its " +
                         "file writer (no disposal inside); CPU: the whole process's processor time (callers, background writers, GC) " +
                         "over that time per timed event; callers' CPU: the producer threads' own share of it (Linux only; each run's " +
                         "stderr line splits the rest by thread); GC pause: the time the runtime stopped the process for collections " +
                         "(GC.GetTotalPauseDuration) per timed event; gen1+ GCs: collections of generation 1 or 2 in the timed phase " +
                         "(queued events that survive a collection are promoted); allocated: GC.GetTotalAllocatedBytes per timed event; peak working set: the " +
                         "largest sampled in the timed phase, of any round; GC: the collector of the runs' processes (each run has a process of its own). Every run's file is checked after disposal: each line a " +
                         "workload line, each request id exactly once.");
    }

    static double Median(IReadOnlyList<RunResult> runs, Func<RunResult, double> value)
    {
        var sorted = runs.Select(value).Order().ToList();
        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
