using System.Diagnostics;
using NonBlockingLog.Bench.Reporting;
using NonBlockingLog.Bench.Sinks;
using NonBlockingLog.Stress.Support;
using Serilog;

namespace NonBlockingLog.Stress.Scenarios;

/// <summary>
/// A destination that hangs for good under load. The sink must notice within stallTimeout, fence the stuck
/// consumer, rebuild the destination through <c>configure</c> and carry on with a fresh consumer, while
/// callers (in Wait mode, the one that may block) never wait longer than waitTimeout.
/// </summary>
internal sealed class HungSinkScenario : IScenario
{
    const string SinkName = "stress-hung-sink";
    const long HangAtEvent = 100_000;
    static readonly TimeSpan WaitTimeout = TimeSpan.FromMilliseconds(100);
    static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(1);

    // Scheduling noise on a busy 2-core machine (preemptions of tens of milliseconds are seen even in
    // DropNewest), on top of the bound the README promises. Still far below stallTimeout, so a caller held
    // until the stall is detected fails the check.
    static readonly TimeSpan LatencySlack = TimeSpan.FromMilliseconds(200);

    // After recovery, keep the load on this long at least, to show the new consumer keeps up.
    static readonly TimeSpan AfterRecovery = TimeSpan.FromSeconds(2);

    public string Name => "hung-sink";

    public string Description => $"hung sink: the destination blocks for good on event {HangAtEvent:N0}; Wait mode (waitTimeout {WaitTimeout.TotalMilliseconds} ms), stallTimeout {StallTimeout.TotalSeconds} s";

    public IReadOnlyList<ScenarioRow> Run(ScenarioContext context)
    {
        var gated = new GatedSink(HangAtEvent);
        var healthy = new CountingSink();
        var built = 0;

        // configure runs once at setup and again for each stall recovery: the first destination hangs, the
        // rebuilt ones are healthy, as a reconnect to a working server would be.
        var logger = new LoggerConfiguration()
            .WriteTo.NonBlocking(
                to => to.Sink(Interlocked.Increment(ref built) == 1 ? gated : healthy),
                fullMode: QueueFullMode.Wait, waitTimeout: WaitTimeout, stallTimeout: StallTimeout,
                shutdownTimeout: TimeSpan.FromSeconds(2), reservedForWarnings: 0, floodLimit: 0, name: SinkName)
            .CreateLogger();

        try
        {
            using var run = new LoadRun(Name, logger, SinkName, context.ProducerThreads);
            var hung = Poll.Until(() => gated.HungAt != 0, TimeSpan.FromSeconds(60));
            var detected = Poll.Until(() => run.Sink.GetSnapshot().Stalls >= 1, StallTimeout + TimeSpan.FromSeconds(10), out var detectedAt);
            var recovered = Poll.Until(() => healthy.FirstAt != 0 && run.Sink.GetSnapshot().State == SinkState.Running, TimeSpan.FromSeconds(10));
            Poll.SleepUntil(Math.Max(Poll.After(run.StartedAt, context.Duration), Poll.After(Stopwatch.GetTimestamp(), AfterRecovery)));

            var latency = run.StopProducers();
            var disposal = run.Close(TimeSpan.FromSeconds(10));
            var row = run.Row();
            var s = run.Sink.GetSnapshot();

            if (hung && detected) row.Detect = Stopwatch.GetElapsedTime(gated.HungAt, detectedAt);
            if (hung && healthy.FirstAt != 0) row.Recover = Stopwatch.GetElapsedTime(gated.HungAt, healthy.FirstAt);
            row.Note($"destinations built {built}; hung one took {Format.Count(gated.Received)} events, rebuilt one {Format.Count(healthy.Received)}");
            row.Note($"calls over waitTimeout: {Format.Count(latency.CountAbove(WaitTimeout.TotalNanoseconds * 1.05))}; slowest call began {Format.Offset(latency.MaxStartedAt, gated.HungAt)} from the hang");
            row.Note($"detect/recover from the hang to the stall seen in the snapshot / to the first write to the rebuilt destination; disposal {Format.Duration(disposal)}");

            var bound = WaitTimeout + LatencySlack;
            row.Check(hung, $"the destination never hung (fewer than {HangAtEvent:N0} events reached it)");
            row.Check(detected, "the stall was not detected");
            row.Check(recovered, "no rebuilt destination received events");
            row.Check(s.StallRestarts >= 1 && s.Stalls >= 1, "no stall restart was counted");
            row.Check(built >= 2, "configure was not run again to rebuild the destination");
            row.Check(latency.MaxNanoseconds <= bound.TotalNanoseconds, $"a caller was blocked {Format.Nanoseconds(latency.MaxNanoseconds)} (bound {Format.Duration(bound)})");
            row.Check(gated.Received + healthy.Received == s.Written,
                $"destinations received {Format.Count(gated.Received + healthy.Received)} but Written is {Format.Count(s.Written)}");
            row.Check(s.DroppedByReason[DropReason.SinkFailure] == 0, "events were counted as sink failures");
            return [row];
        }
        finally
        {
            // Only now: the abandoned consumer thread may leave the destination it was stuck in.
            gated.Open();
        }
    }
}
