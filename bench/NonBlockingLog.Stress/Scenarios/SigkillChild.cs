using System.Globalization;
using NonBlockingLog.Stress.Support;
using Serilog;

namespace NonBlockingLog.Stress.Scenarios;

/// <summary>
/// The child process of the SIGKILL scenario (<c>--child path</c>): logs to NonBlockingFile at full speed and
/// reports its sink's counts on stdout every few milliseconds until it is killed. Written is read before the
/// line is printed, so every count the parent receives was already handed to the operating system.
/// </summary>
internal static class SigkillChild
{
    public const string SinkName = "stress-child";
    static readonly TimeSpan ReportPeriod = TimeSpan.FromMilliseconds(20);

    // The parent kills the child long before this; exiting on its own is a failure the parent sees.
    static readonly TimeSpan SelfExitAfter = TimeSpan.FromSeconds(60);

    public static int Run(string path)
    {
        using var logger = new LoggerConfiguration()
            .WriteTo.NonBlockingFile(path, outputTemplate: StressEvent.OutputTemplate, reservedForWarnings: 0, floodLimit: 0, name: SinkName)
            .CreateLogger();
        var sink = NonBlockingLogSinks.Find(SinkName)!;
        var producers = new Producers(logger, Math.Max(2, Environment.ProcessorCount));
        producers.Start();

        var stdout = Console.Out;
        var deadline = DateTime.UtcNow + SelfExitAfter;
        while (DateTime.UtcNow < deadline)
        {
            var s = sink.GetSnapshot();
            stdout.WriteLine(new ChildReport(s.Written, producers.Emitted, s.DroppedByReason[DropReason.QueueFull], s.Dropped, s.Pending).ToLine());
            stdout.Flush();
            Thread.Sleep(ReportPeriod);
        }

        producers.Stop();
        return 3;
    }
}

/// <summary>One progress line from the child. The trailing " end" tells a complete line from one cut by the kill.</summary>
internal sealed record ChildReport(long Written, long Emitted, long QueueFull, long Dropped, long Pending)
{
    public string ToLine() => string.Create(CultureInfo.InvariantCulture,
        $"report written={Written} emitted={Emitted} queue_full={QueueFull} dropped={Dropped} pending={Pending} end");

    public static ChildReport? TryParse(string line)
    {
        var fields = line.Split(' ');
        if (fields is not ["report", _, _, _, _, _, "end"]) return null;
        var values = new long[5];
        for (var i = 0; i < 5; i++)
        {
            var eq = fields[i + 1].IndexOf('=');
            if (eq < 0 || !long.TryParse(fields[i + 1].AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out values[i])) return null;
        }

        return new ChildReport(values[0], values[1], values[2], values[3], values[4]);
    }
}
