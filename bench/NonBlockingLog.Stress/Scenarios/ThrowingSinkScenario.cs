using NonBlockingLog.Bench.Reporting;
using NonBlockingLog.Bench.Sinks;
using NonBlockingLog.Stress.Support;
using Serilog;

namespace NonBlockingLog.Stress.Scenarios;

/// <summary>
/// A destination that throws for every k-th event under full load. Each failure must lose that event alone,
/// counted as sink_failure exactly as often as the destination threw, with no restart and the rest written.
/// </summary>
internal sealed class ThrowingSinkScenario : IScenario
{
    const string SinkName = "stress-throwing-sink";
    const int FailEvery = 10;

    public string Name => "throwing-sink";

    public string Description => $"throwing sink: the destination throws for every {FailEvery}th event; DropNewest, full speed";

    public IReadOnlyList<ScenarioRow> Run(ScenarioContext context)
    {
        var destination = new ThrowingSink(FailEvery);
        var logger = new LoggerConfiguration()
            .WriteTo.NonBlocking(to => to.Sink(destination), fullMode: QueueFullMode.DropNewest, reservedForWarnings: 0, floodLimit: 0, name: SinkName)
            .CreateLogger();

        using var run = new LoadRun(Name, logger, SinkName, context.ProducerThreads,
            extra: () => $"thrown {Format.Count(destination.Thrown)}");
        Poll.SleepUntil(Poll.After(run.StartedAt, context.Duration));
        run.StopProducers();
        var disposal = run.Close(TimeSpan.FromSeconds(10));
        var row = run.Row();
        var s = run.Sink.GetSnapshot();

        row.Note($"destination threw {Format.Count(destination.Thrown)} times, kept {Format.Count(destination.Received)}; disposal {Format.Duration(disposal)}");
        row.Check(destination.Thrown > 0, "the destination never threw");
        row.Check(s.DroppedByReason[DropReason.SinkFailure] == destination.Thrown,
            $"sink_failure {Format.Count(s.DroppedByReason[DropReason.SinkFailure])} but the destination threw {Format.Count(destination.Thrown)} times");
        row.Check(s.Written == destination.Received, $"Written {Format.Count(s.Written)} but the destination kept {Format.Count(destination.Received)}");
        row.Check(s.ConsumerRestarts == 0, "a per-event failure restarted the consumer");
        return [row];
    }
}
