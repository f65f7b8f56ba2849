using System.Diagnostics;
using NonBlockingLog.Bench.Reporting;
using NonBlockingLog.SteadyState;

if (CommandLine.Parse(args, SteadyStateOptions.Parse, o => o.Help, SteadyStateOptions.Usage, out var exitCode) is not { } options) return exitCode;

if (options.Single is var (single, singleRound)) return IsolatedRun.RunHere(single, singleRound, options);

var commandLine = "dotnet run -c Release --project bench/NonBlockingLog.SteadyState" + (args.Length > 0 ? " -- " + string.Join(" ", args) : "");
var folder = Path.Combine(options.Folder, $"nonblocking-steady-{Environment.ProcessId}");
Directory.CreateDirectory(folder);
var results = new List<RunResult>();
var started = Stopwatch.GetTimestamp();
Console.Error.WriteLine($"NonBlockingLog.SteadyState: {options.Contenders.Count} contenders × {options.Rounds} rounds × {string.Join(" and ", options.GcModes)} GC, " +
                        $"each run in a process of its own, {options.Producers} producers, " +
                        $"{Format.Count(options.WarmupEvents)} warm-up + {Format.Count(options.TimedEvents)} timed events; files in {folder}");
try
{
    var runOptions = options with { Folder = folder };
    foreach (var gc in options.GcModes)
    for (var round = 1; round <= options.Rounds; round++)
    {
        // Each round starts one contender further on, so that no contender always runs first (or just after the
        // one that leaves the most garbage or the hottest disk cache).
        var shift = (round - 1) % options.Contenders.Count;
        foreach (var kind in options.Contenders.Skip(shift).Concat(options.Contenders.Take(shift)))
        {
            var runStarted = Stopwatch.GetTimestamp();
            var result = IsolatedRun.Execute(kind, round, gc, runOptions) with { Gc = gc };
            results.Add(result);
            Console.Error.WriteLine($"  {gc} GC, round {round}/{options.Rounds} {kind.Name}: {SteadyStateRun.Describe(result)} " +
                                    $"({Format.Duration(Stopwatch.GetElapsedTime(runStarted))})");
        }
    }
}
finally
{
    Directory.Delete(folder, recursive: true);
}

SummaryTable.Write(Console.Out, options, results, commandLine);
var failed = results.Count(r => r.Failure is not null);
Console.Error.WriteLine($"done in {Format.Duration(Stopwatch.GetElapsedTime(started))}: {results.Count - failed} of {results.Count} runs pass");
return failed == 0 ? 0 : 1;
