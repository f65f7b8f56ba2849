using System.Diagnostics;
using NonBlockingLog.Bench.Reporting;
using NonBlockingLog.Bench.Sinks;
using NonBlockingLog.Stress.Support;
using Serilog;

namespace NonBlockingLog.Stress.Scenarios;

/// <summary>
/// Graceful shutdown while producers keep logging at full speed: the logger is disposed under them. Disposal
/// must finish within shutdownTimeout, leave nothing pending, and count every event exactly (written, or
/// dropped as disposed or shutdown_timeout). Two rows: a file that drains in time, and a destination too slow
/// to drain a full queue, where the timeout must cut disposal short.
/// </summary>
internal sealed class ShutdownScenario : IScenario
{
    // How far disposal may overrun shutdownTimeout: waking up and counting what is left, on a busy machine.
    static readonly TimeSpan Overrun = TimeSpan.FromMilliseconds(100);

    // Producers keep calling the disposed logger this long: their events must be counted as disposed.
    static readonly TimeSpan AfterDisposal = TimeSpan.FromMilliseconds(200);

    public string Name => "shutdown";

    public string Description => "graceful shutdown under load: the logger is disposed while producers run at full speed (a file that drains; a destination too slow to)";

    public IReadOnlyList<ScenarioRow> Run(ScenarioContext context)
    {
        var load = TimeSpan.FromSeconds(Math.Clamp(context.Duration.TotalSeconds / 2, 1, 3));
        return [DrainsToFile(context, load), SlowDestination(context, load)];
    }

    ScenarioRow DrainsToFile(ScenarioContext context, TimeSpan load)
    {
        const string sinkName = "stress-shutdown";
        var shutdownTimeout = TimeSpan.FromSeconds(5);
        var path = Path.Combine(context.Scratch.Subdirectory("shutdown"), "shutdown.log");
        var logger = new LoggerConfiguration()
            .WriteTo.NonBlockingFile(path, outputTemplate: StressEvent.OutputTemplate, shutdownTimeout: shutdownTimeout, reservedForWarnings: 0, floodLimit: 0, name: sinkName)
            .CreateLogger();

        var (row, disposal) = DisposeUnderLoad(context, Name, logger, sinkName, load);
        var s = row.Written!.Value;
        var onDisk = LogFileScan.Read(path, distinct: true);
        row.DuplicateLines = onDisk.EventLines - onDisk.DistinctEvents;
        row.TornLines = onDisk.TornLines;
        row.Note($"disposal {Format.Duration(disposal)} (shutdownTimeout {Format.Duration(shutdownTimeout)}); file {onDisk.Describe()}");
        CheckShutdown(row, disposal, shutdownTimeout);
        row.Check(row.DroppedByReason![DropReason.ShutdownTimeout] == 0, "a file destination did not drain within shutdownTimeout");
        row.Check(onDisk.DistinctEvents == s && onDisk.EventLines == s,
            $"Written {Format.Count(s)} but the file holds {Format.Count(onDisk.EventLines)} event lines ({Format.Count(onDisk.DistinctEvents)} distinct)");
        return row;
    }

    ScenarioRow SlowDestination(ScenarioContext context, TimeSpan load)
    {
        const string sinkName = "stress-shutdown-slow";
        var shutdownTimeout = TimeSpan.FromSeconds(1);
        var cost = TimeSpan.FromMicroseconds(500);

        // A full queue of 10,000 events at 0.5 ms each needs 5 s to drain: five times the timeout.
        var destination = new CountingSink { CostPerEvent = cost };
        var logger = new LoggerConfiguration()
            .WriteTo.NonBlocking(to => to.Sink(destination), shutdownTimeout: shutdownTimeout, reservedForWarnings: 0, floodLimit: 0, name: sinkName)
            .CreateLogger();

        var (row, disposal) = DisposeUnderLoad(context, Name + " (slow destination)", logger, sinkName, load);

        // The consumer may be inside the destination when the timeout strikes: that event arrives, but was
        // already counted as shutdown_timeout. Let it finish before comparing.
        Thread.Sleep(cost * 4);
        var surplus = destination.Received - row.Written!.Value;
        row.Note($"disposal {Format.Duration(disposal)} (shutdownTimeout {Format.Duration(shutdownTimeout)}); destination {Format.Duration(cost)}/event received {Format.Count(destination.Received)}");
        CheckShutdown(row, disposal, shutdownTimeout);
        row.Check(row.DroppedByReason![DropReason.ShutdownTimeout] > 0, "nothing was counted as shutdown_timeout although the destination could not drain in time");
        row.Check(surplus is 0 or 1, $"the destination received {Format.Count(destination.Received)} events but Written is {Format.Count(row.Written!.Value)}");
        return row;
    }

    static (ScenarioRow Row, TimeSpan Disposal) DisposeUnderLoad(ScenarioContext context, string scenario, Serilog.Core.Logger logger, string sinkName, TimeSpan load)
    {
        using var run = new LoadRun(scenario, logger, sinkName, context.ProducerThreads);
        Thread.Sleep(load);
        var disposing = Stopwatch.GetTimestamp();
        var disposal = run.DisposeLogger();
        Thread.Sleep(AfterDisposal);
        var latency = run.StopProducers();
        var row = run.Row();

        // A slow call far from disposal is the machine's scheduling; one that overlaps it would be the sink's.
        row.Note($"slowest call began {Format.Offset(latency.MaxStartedAt, disposing)} from the start of disposal");
        return (row, disposal);
    }

    static void CheckShutdown(ScenarioRow row, TimeSpan disposal, TimeSpan shutdownTimeout)
    {
        row.Check(disposal <= shutdownTimeout + Overrun, $"disposal took {Format.Duration(disposal)}, more than shutdownTimeout {Format.Duration(shutdownTimeout)}");
        row.Check(row.Pending == 0, $"{Format.Count(row.Pending ?? 0)} events still pending after disposal");
        row.Check(row.DroppedByReason![DropReason.Disposed] > 0, "no event was emitted after disposal: the race was not exercised");
    }
}
