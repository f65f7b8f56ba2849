using System.Diagnostics;
using NonBlockingLog.Bench.Reporting;
using NonBlockingLog.Stress.Support;

namespace NonBlockingLog.Stress.Scenarios;

/// <summary>
/// SIGKILL mid-write: this program runs itself as a child that logs to NonBlockingFile at full speed and
/// reports its Written count; the parent kills it with SIGKILL at a random moment and then counts the complete
/// lines in the file. "Written means handed to the operating system": the file must hold at least the last
/// count the child reported. The child's own accounting died with it, so the identity is not measurable here.
/// </summary>
internal sealed class SigkillScenario : IScenario
{
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    public string Name => "sigkill";

    public string Description => "SIGKILL mid-write: a child process logs to NonBlockingFile at full speed and is killed with SIGKILL";

    public IReadOnlyList<ScenarioRow> Run(ScenarioContext context)
    {
        var directory = context.Scratch.Subdirectory("sigkill");
        var path = Path.Combine(directory, "child.log");
        try
        {
            return [RunChild(context, path)];
        }
        finally
        {
            // The file grows by tens of megabytes a second; do not keep it for the rest of the run.
            context.Scratch.Delete(directory);
        }
    }

    ScenarioRow RunChild(ScenarioContext context, string path)
    {
        using var child = Process.Start(ChildStart(path)) ?? throw new InvalidOperationException("could not start the child process.");
        ChildReport? last = null;
        long reports = 0;
        var reader = new Thread(() =>
        {
            while (child.StandardOutput.ReadLine() is { } line)
            {
                if (ChildReport.TryParse(line) is not { } report) continue;
                Volatile.Write(ref last, report);
                Interlocked.Increment(ref reports);
            }
        }) { IsBackground = true, Name = "stress child reader" };
        reader.Start();

        var row = new ScenarioRow(Name);
        if (!Poll.Until(() => Volatile.Read(ref last) is { Written: > 0 }, StartTimeout))
        {
            child.Kill();
            row.Check(false, "the child never reported a written event");
            return row;
        }

        // Kill at a moment nobody chose, while the consumer is writing at full speed.
        var runFor = TimeSpan.FromMilliseconds(Math.Clamp(context.Duration.TotalMilliseconds / 4, 1000, 3000) + Random.Shared.Next(250));
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < runFor && !child.HasExited)
        {
            Thread.Sleep(250);
            if (Volatile.Read(ref last) is { } r)
                ScenarioContext.Say($"  [{Name} child] written {Format.Count(r.Written)}, emitted {Format.Count(r.Emitted)}, dropped {Format.Count(r.Dropped)}");
        }

        var exitedByItself = child.HasExited;
        child.Kill(); // SIGKILL on Unix: no handler, no flush, no finalizer runs in the child.
        var killedAt = Stopwatch.GetTimestamp();
        child.WaitForExit();
        reader.Join();
        var final = Volatile.Read(ref last)!;
        var onDisk = LogFileScan.Read(path, distinct: false);

        row.Emitted = final.Emitted;
        row.Written = final.Written;
        row.DroppedByReason = Enum.GetValues<DropReason>().ToDictionary(r => r, r => r == DropReason.QueueFull ? final.QueueFull : 0L);
        row.Pending = final.Pending;
        row.Note($"last reported Written {Format.Count(final.Written)}, complete event lines on disk {Format.Count(onDisk.EventLines)} (+{Format.Count(onDisk.EventLines - final.Written)})");
        row.Note($"child killed after {Format.Duration(Stopwatch.GetElapsedTime(started, killedAt))} of load, exit code {child.ExitCode}, {Format.Count(Interlocked.Read(ref reports))} reports; file {Format.Megabytes(onDisk.Bytes)}, {Format.Count(onDisk.TornLines)} torn lines, {Format.Count(onDisk.TailBytes)} B torn tail");
        row.Note("emitted/dropped/pending are from the child's last report; unaccounted n/a (the process was killed)");

        row.Check(!exitedByItself, $"the child exited by itself (code {child.ExitCode}) before it was killed");
        row.Check(child.ExitCode == 128 + 9, $"the child's exit code was {child.ExitCode}, not 137 (SIGKILL)");
        row.Check(final.Dropped == final.QueueFull, "the child dropped events for reasons other than queue_full");
        row.Check(onDisk.EventLines >= final.Written,
            $"only {Format.Count(onDisk.EventLines)} complete lines on disk, but the child reported Written {Format.Count(final.Written)}");
        return row;
    }

    // This same program, with --child: through the apphost when there is one, else through the dotnet host.
    static ProcessStartInfo ChildStart(string path)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the process path is unknown.");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(SigkillScenario).Assembly.Location);
        start.ArgumentList.Add("--child");
        start.ArgumentList.Add(path);
        return start;
    }
}
