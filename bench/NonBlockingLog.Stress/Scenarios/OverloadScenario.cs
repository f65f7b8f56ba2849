using System.Diagnostics;
using NonBlockingLog.Bench.Reporting;
using NonBlockingLog.Bench.Sinks;
using NonBlockingLog.Stress.Support;
using Serilog;

namespace NonBlockingLog.Stress.Scenarios;

/// <summary>
/// Sustained overload: callers at full speed into a destination about ten times slower than they emit, in
/// DropNewest. The sink must shed the excess as counted queue_full drops while callers stay fast and memory
/// stays bounded by the queue's capacity.
/// </summary>
internal sealed class OverloadScenario : IScenario
{
    const string SinkName = "stress-overload";
    const int Capacity = 10_000;
    const double TargetRatio = 10;

    // Generous: the queue holds 10,000 events of a few hundred bytes; an unbounded queue at this arrival rate
    // would grow by hundreds of megabytes a second.
    const long WorkingSetGrowthLimit = 256L * 1024 * 1024;

    static readonly TimeSpan ControlPeriod = TimeSpan.FromMilliseconds(250);

    public string Name => "overload";

    public string Description => $"{TargetRatio}x overload: {Environment.ProcessorCount} producers at full speed, destination ~{TargetRatio}x slower, DropNewest, capacity {Capacity:N0}";

    public IReadOnlyList<ScenarioRow> Run(ScenarioContext context)
    {
        // The first guess at the destination's cost; the control loop below tunes it to the arrival rate.
        var destination = new CountingSink { CostPerEvent = TimeSpan.FromMicroseconds(2) };
        var logger = new LoggerConfiguration()
            .WriteTo.NonBlocking(to => to.Sink(destination), capacity: Capacity, fullMode: QueueFullMode.DropNewest, reservedForWarnings: 0, floodLimit: 0, name: SinkName)
            .CreateLogger();

        using var run = new LoadRun(Name, logger, SinkName, context.ProducerThreads,
            extra: () => $"destination {Format.Duration(destination.CostPerEvent)}/event");
        var half = Poll.After(run.StartedAt, context.Duration / 2);
        var end = Poll.After(run.StartedAt, context.Duration);
        long halfEmitted = 0, halfReceived = 0;
        var halfTaken = false;

        // Producers' speed depends on the machine and on what else runs on it, so the destination's cost is
        // steered to keep it ~10x slower than what actually arrives, instead of a fixed guess.
        var (lastEmitted, lastReceived) = (0L, 0L);
        while (Stopwatch.GetTimestamp() < end)
        {
            Thread.Sleep(ControlPeriod);
            var (emitted, received, at) = (run.Producers.Emitted, destination.Received, Stopwatch.GetTimestamp());
            var arrived = emitted - lastEmitted;
            var served = received - lastReceived;
            if (arrived > 0 && served > 0)
            {
                var step = Math.Clamp(served * TargetRatio / arrived, 0.5, 2.0);
                destination.CostPerEvent = TimeSpan.FromTicks(Math.Max(1, (long)(destination.CostPerEvent.Ticks * step)));
            }

            (lastEmitted, lastReceived) = (emitted, received);
            if (!halfTaken && at >= half) (halfEmitted, halfReceived, halfTaken) = (emitted, received, true);
        }

        run.StopProducers();
        var secondHalfRatio = (double)(run.Producers.Emitted - halfEmitted) / Math.Max(1, destination.Received - halfReceived);
        var peakSampled = run.Progress.PeakWorkingSet;
        var startWorkingSet = run.Progress.StartWorkingSet;
        var peakDepth = run.Progress.PeakQueueDepth;
        var disposal = run.Close(TimeSpan.FromSeconds(10));
        var row = run.Row();
        var s = run.Sink.GetSnapshot();
        var overallRatio = (double)row.Emitted!.Value / Math.Max(1, row.Written!.Value);
        var processPeak = Process.GetCurrentProcess().PeakWorkingSet64;

        row.Note($"arrival/destination {Format.Ratio(overallRatio)}x overall, {Format.Ratio(secondHalfRatio)}x in the second half (destination {Format.Duration(destination.CostPerEvent)}/event)");
        row.Note($"working set {Format.Megabytes(startWorkingSet)} at start, peak sampled {Format.Megabytes(peakSampled)}, process peak (VmHWM) {Format.Megabytes(processPeak)}");
        row.Note($"queue depth peak {Format.Count(peakDepth)} of {Format.Count(Capacity)}; disposal {Format.Duration(disposal)}");

        row.Check(s.DroppedByReason[DropReason.QueueFull] > 0, "no queue_full drops: the destination was not slower than the callers");
        row.Check(secondHalfRatio >= TargetRatio / 2, $"only {Format.Ratio(secondHalfRatio)}x overload in the second half, wanted ~{TargetRatio}x");
        row.Check(peakSampled - startWorkingSet <= WorkingSetGrowthLimit, $"working set grew by {Format.Megabytes(peakSampled - startWorkingSet)} (limit {Format.Megabytes(WorkingSetGrowthLimit)})");
        row.Check(peakDepth <= Capacity, $"queue depth {peakDepth} above capacity {Capacity}");
        row.Check(destination.Received == s.Written, $"destination received {Format.Count(destination.Received)} but Written is {Format.Count(s.Written)}");
        row.Check(s.ConsumerRestarts == 0 && s.Stalls == 0, "the consumer restarted or stalled without a fault");
        return [row];
    }
}
