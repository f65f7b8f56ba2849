using System.Diagnostics;
using NonBlockingLog.Bench.Reporting;
using NonBlockingLog.Stress.Support;
using Serilog;

namespace NonBlockingLog.Stress.Scenarios;

/// <summary>
/// A real full disk: NonBlockingFile on a 4 MB tmpfs, half taken by a filler file, under a bursty load of
/// ~400-byte lines until the kernel answers ENOSPC. The consumer must back off (phase BackingOff) without counting as written any
/// event that is not in the file, and resume by itself once the filler is deleted. Needs root for the mount;
/// otherwise the row says why it was skipped.
/// </summary>
internal sealed class DiskFullScenario : IScenario
{
    const string SinkName = "stress-disk-full";
    const long FilesystemBytes = 4 * 1024 * 1024;
    const long FillerBytes = 2 * 1024 * 1024;
    const int Padding = 320;

    // Small, so that the backlog written after recovery fits easily in the space the filler leaves.
    const int Capacity = 1_000;

    // Bursts rather than a steady trickle, and long lines: a batch then spans several of the file stream's
    // 4 KB buffers, so ENOSPC can strike in the middle of a batch as well as at its flush.
    static readonly Pace Load = new(EventsPerBurst: 100, Interval: TimeSpan.FromMilliseconds(100));

    static readonly TimeSpan PhaseTimeout = TimeSpan.FromSeconds(60);

    public string Name => "disk-full";

    public string Description => $"disk full: NonBlockingFile on a {FilesystemBytes / 1024 / 1024} MB tmpfs with a {FillerBytes / 1024 / 1024} MB filler, ~400-byte lines in bursts of {Load.EventsPerBurst} per producer every {Load.Interval.TotalMilliseconds} ms";

    public IReadOnlyList<ScenarioRow> Run(ScenarioContext context)
    {
        var directory = context.Scratch.Subdirectory("disk-full");
        var mount = TmpfsMount.TryMount(directory, FilesystemBytes, out var whyNot);
        if (mount is null) return [ScenarioRow.Skip(Name, whyNot!)];

        ScenarioRow row;
        try
        {
            row = RunMounted(context, mount);
        }
        finally
        {
            mount.Dispose();
        }

        row.Check(mount.Unmounted, $"could not unmount {mount.Path}");
        return [row];
    }

    ScenarioRow RunMounted(ScenarioContext context, TmpfsMount mount)
    {
        var filler = Path.Combine(mount.Path, "filler.bin");
        File.WriteAllBytes(filler, new byte[FillerBytes]);
        var logPath = Path.Combine(mount.Path, "stress.log");
        var logger = new LoggerConfiguration()
            .WithPadding(Padding)
            .WriteTo.NonBlockingFile(logPath, outputTemplate: StressEvent.PaddedOutputTemplate, capacity: Capacity,
                shutdownTimeout: TimeSpan.FromSeconds(2), reservedForWarnings: 0, floodLimit: 0, name: SinkName)
            .CreateLogger();

        using var run = new LoadRun(Name, logger, SinkName, context.ProducerThreads, Load,
            extra: () => $"free {Format.Megabytes(mount.FreeBytes)}");
        var failures = new List<string>();

        // 1. Fill the disk. "Full" is when the filesystem has no block left to give; the consumer meets ENOSPC
        //    at its next write that needs one.
        var full = Poll.Until(() => mount.FreeBytes == 0, PhaseTimeout, out var fullAt);
        var backedOff = Poll.Until(() => run.Sink.GetSnapshot().Phase == ConsumerPhase.BackingOff, PhaseTimeout, out var backedOffAt);
        if (!full || !backedOff)
        {
            run.StopProducers();
            run.Close(TimeSpan.FromSeconds(5));
            var early = run.Row();
            early.Check(false, full ? "the consumer never backed off on the full disk" : "the disk never filled");
            return early;
        }

        // 2. Stay full for a while: nothing may be counted written, and what is counted must be in the file.
        var hold = context.Options.Quick ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(2);
        var writtenAtBackoff = run.Sink.GetSnapshot().Written;
        Thread.Sleep(hold);
        var outage = run.Sink.GetSnapshot();
        var onDiskDuringOutage = LogFileScan.Read(logPath, distinct: true);
        if (outage.Written != writtenAtBackoff)
            failures.Add($"Written moved from {Format.Count(writtenAtBackoff)} to {Format.Count(outage.Written)} while the disk was full");
        if (onDiskDuringOutage.DistinctEvents < outage.Written)
            failures.Add($"during the outage Written was {Format.Count(outage.Written)} but the file held {Format.Count(onDiskDuringOutage.DistinctEvents)} distinct events");

        // 3. Free space: logging must resume by itself, after at most one backoff delay.
        File.Delete(filler);
        var freedAt = Stopwatch.GetTimestamp();
        var resumed = Poll.Until(() => run.Sink.GetSnapshot() is var s && s.Written > outage.Written && s.Phase != ConsumerPhase.BackingOff,
            PhaseTimeout, out var resumedAt);
        Thread.Sleep(500);

        run.StopProducers();
        var disposal = run.Close(TimeSpan.FromSeconds(10));
        var row = run.Row();
        var final = run.Sink.GetSnapshot();
        var onDisk = LogFileScan.Read(logPath, distinct: true);

        row.Detect = Stopwatch.GetElapsedTime(fullAt, Math.Max(fullAt, backedOffAt));
        if (resumed) row.Recover = Stopwatch.GetElapsedTime(freedAt, resumedAt);
        row.Note($"detect: filesystem full to BackingOff seen; recover: filler deleted to Written moving again");
        row.Note($"during the outage ({Format.Duration(hold)}): Written {Format.Count(outage.Written)}, file {Format.Count(onDiskDuringOutage.DistinctEvents)} distinct events, last error \"{outage.LastError}\"");
        row.Note($"at the end: Written {Format.Count(final.Written)}, file {onDisk.Describe()}; disposal {Format.Duration(disposal)}");

        foreach (var failure in failures) row.Check(false, failure);
        row.Check(resumed, "logging did not resume after space was freed");
        row.DuplicateLines = onDisk.EventLines - onDisk.DistinctEvents;
        row.TornLines = onDisk.TornLines;
        row.Check(onDisk.DistinctEvents >= final.Written,
            $"Written {Format.Count(final.Written)} but the file holds only {Format.Count(onDisk.DistinctEvents)} distinct events: events counted written never reached the file");
        row.Check(onDisk.EventLines == final.Written,
            $"Written {Format.Count(final.Written)} but the file holds {Format.Count(onDisk.EventLines)} event lines: not exactly once");
        row.Check(row.DuplicateLines == 0, $"{Format.Count(row.DuplicateLines.Value)} lines repeat an event");
        row.Check(row.TornLines == 0, $"{Format.Count(row.TornLines.Value)} torn lines");
        row.Check(final.DroppedByReason[DropReason.ShutdownTimeout] == 0, "the backlog did not drain at shutdown");
        return row;
    }
}
