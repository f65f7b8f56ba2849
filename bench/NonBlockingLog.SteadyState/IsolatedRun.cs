using System.Diagnostics;
using System.Text.Json;
using NonBlockingLog.SteadyState.Contenders;

namespace NonBlockingLog.SteadyState;

/// <summary>
/// Each run in a process of its own, started from this program with <c>--single</c>: so that one contender's garbage,
/// heap size, working set and JIT state never carry into the next (an unbounded peer can grow the heap past a
/// gigabyte, which then counts as the next run's working set), and so that the collector can be chosen per run, as it
/// can only be before a process starts.
/// </summary>
internal static class IsolatedRun
{
    const string ResultPrefix = "RESULT ";

    public static RunResult Execute(ContenderKind kind, int round, GcMode gc, SteadyStateOptions options)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };

        // Under `dotnet run` this program is a dll run by the dotnet host; as an apphost it is the process itself.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(IsolatedRun).Assembly.Location);
        foreach (var argument in new[]
                 {
                     "--single", kind.Name, round.ToString(), "--warmup", options.WarmupEvents.ToString(), "--events", options.TimedEvents.ToString(),
                     "--producers", options.Producers.ToString(), "--folder", options.Folder,
                 })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_gcServer"] = gc == GcMode.Server ? "1" : "0";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start a run's process");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        var result = line is null ? null : JsonSerializer.Deserialize<RunResult>(line[ResultPrefix.Length..]);
        return result ?? new RunResult(kind.Name, round) { Failure = $"the run's process exited with {process.ExitCode} and no result" };
    }

    /// <summary>In the run's own process: the run, its result on stdout for the parent.</summary>
    public static int RunHere(ContenderKind kind, int round, SteadyStateOptions options)
    {
        var result = SteadyStateRun.Execute(kind, options, round, options.Folder);
        Console.Out.WriteLine(ResultPrefix + JsonSerializer.Serialize(result));
        return result.Failure is null ? 0 : 1;
    }
}
