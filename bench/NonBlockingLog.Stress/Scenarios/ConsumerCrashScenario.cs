using System.Diagnostics;
using NonBlockingLog.Bench.Reporting;
using NonBlockingLog.Bench.Sinks;
using NonBlockingLog.Stress.Support;
using Serilog;

namespace NonBlockingLog.Stress.Scenarios;

/// <summary>
/// The consumer thread crashes (an unhandled error outside the per-event handling) several times under full
/// load, through the library's internal fault drill. Each crash must be restarted by the watchdog, and the
/// batch the dead consumer held delivered by its successor: nothing accepted is lost, nothing is a
/// sink_failure, and the destination receives each written event exactly once.
/// </summary>
internal sealed class ConsumerCrashScenario : IScenario
{
    const string SinkName = "stress-consumer-crash";
    static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(10);

    public string Name => "consumer-crash";

    public string Description => "consumer crash: the consumer thread is crashed repeatedly (FaultDrill.Crash) under full load, DropNewest";

    public IReadOnlyList<ScenarioRow> Run(ScenarioContext context)
    {
        var crashes = context.Options.Quick ? 3 : 5;
        var destination = new CountingSink();
        var logger = new LoggerConfiguration()
            .WriteTo.NonBlocking(to => to.Sink(destination), fullMode: QueueFullMode.DropNewest, reservedForWarnings: 0, floodLimit: 0, name: SinkName)
            .CreateLogger();

        using var run = new LoadRun(Name, logger, SinkName, context.ProducerThreads);

        var detect = new List<TimeSpan>();
        var recover = new List<TimeSpan>();
        var lost = new List<string>();
        for (var i = 1; i <= crashes; i++)
        {
            Poll.SleepUntil(Poll.After(run.StartedAt, context.Duration * i / (crashes + 1)));
            var armed = Stopwatch.GetTimestamp();
            NonBlockingLogSinks.RunFaultDrill(SinkName, FaultDrill.Crash);

            // Down as soon as the consumer's thread has died; up again once the restarted one finished a batch.
            if (!Poll.Until(() => run.Sink.GetSnapshot() is var s && (s.State is SinkState.Faulted or SinkState.Restarting || s.FaultRestarts >= i), StepTimeout, out var downAt))
            {
                lost.Add($"crash {i} was not seen");
                continue;
            }

            detect.Add(Stopwatch.GetElapsedTime(armed, downAt));
            if (Poll.Until(() => run.Sink.GetSnapshot() is { FaultRestarts: var r, State: SinkState.Running } && r >= i, StepTimeout, out var upAt))
                recover.Add(Stopwatch.GetElapsedTime(armed, upAt));
            else
                lost.Add($"crash {i} was not recovered within {StepTimeout.TotalSeconds} s");
        }

        Poll.SleepUntil(Poll.After(run.StartedAt, context.Duration));
        run.StopProducers();
        var disposal = run.Close(TimeSpan.FromSeconds(10));
        var row = run.Row();
        var s = run.Sink.GetSnapshot();

        if (detect.Count > 0) row.Detect = detect.Max();
        if (recover.Count > 0) row.Recover = recover.Max();
        row.Note($"{crashes} crashes injected; detect/recover are the worst of them, from the drill to the state seen in the snapshot" +
                 (recover.Count > 0 ? $" (recover mean {Format.Duration(TimeSpan.FromTicks((long)recover.Average(r => r.Ticks)))}, restart backoff 100 ms ±20%)" : ""));
        row.Note($"destination received {Format.Count(destination.Received)}; disposal {Format.Duration(disposal)}");

        foreach (var problem in lost) row.Check(false, problem);
        row.Check(s.FaultRestarts == crashes, $"{s.FaultRestarts} fault restarts for {crashes} crashes");
        row.Check(s.DroppedByReason[DropReason.SinkFailure] == 0, "events were counted as sink failures");
        row.Check(destination.Received == s.Written,
            $"the destination received {Format.Count(destination.Received)} events but Written is {Format.Count(s.Written)} (lost or duplicated)");
        return [row];
    }
}
