using System.Diagnostics.Metrics;
using NonBlockingLog.Consumption;
using NonBlockingLog.Supervision;

namespace NonBlockingLog.Accounting;

/// <summary>
/// The <c>NonBlockingLog</c> Meter. Its counters are observable: a listener's collection reads the sinks'
/// exact Interlocked counters, so Emit pays nothing for metrics, and the Meter always agrees with the snapshot.
/// Every measurement carries <c>sink</c> = the sink's name; drops also carry <c>reason</c>.
/// </summary>
internal static class SinkMetrics
{
    public const string MeterName = "NonBlockingLog";
    static readonly Meter s_meter = new(MeterName, typeof(SinkMetrics).Assembly.GetName().Version?.ToString());
    static int s_created;

    public static void EnsureCreated()
    {
        if (Interlocked.Exchange(ref s_created, 1) != 0) return;

        s_meter.CreateObservableCounter("nonblockinglog.events.enqueued", () => Each(s => s.Enqueued), "{event}", "Events accepted into the queue.");
        s_meter.CreateObservableCounter("nonblockinglog.events.written", () => Each(s => s.Counters.Written), "{event}", "Events written and flushed to the destination.");
        s_meter.CreateObservableCounter("nonblockinglog.events.dropped", Dropped, "{event}", "Events dropped, by reason.");
        s_meter.CreateObservableGauge("nonblockinglog.queue.depth", () => Each(s => s.QueueDepth), "{event}", "Events waiting in the queue.");
        s_meter.CreateObservableCounter("nonblockinglog.consumer.restarts", Restarts, "{restart}", "Consumer restarts, by cause (fault or stall).");
        s_meter.CreateObservableCounter("nonblockinglog.consumer.stalls", () => Each(s => s.Supervisor.Stalls), "{stall}", "Times the consumer was found stalled.");
    }

    static readonly Histogram<double> s_batchDuration = s_meter.CreateHistogram<double>(
        "nonblockinglog.batch.duration", "s", "Time to write and flush one batch, retries included.");

    /// <summary>True while a listener collects batch durations; only then does the consumer read the clock for them.</summary>
    public static bool IsBatchDurationEnabled => s_batchDuration.Enabled;

    public static void RecordBatchDuration(string sink, TimeSpan duration) =>
        s_batchDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("sink", sink));

    static IEnumerable<Measurement<long>> Restarts()
    {
        foreach (var sink in SinkRegistry.Snapshot())
        {
            var name = new KeyValuePair<string, object?>("sink", sink.Name);
            yield return new Measurement<long>(sink.Supervisor.FaultRestarts, name, new KeyValuePair<string, object?>("cause", "fault"));
            yield return new Measurement<long>(sink.Supervisor.StallRestarts, name, new KeyValuePair<string, object?>("cause", "stall"));
        }
    }

    static IEnumerable<Measurement<long>> Each(Func<NonBlockingSink, long> read)
    {
        foreach (var sink in SinkRegistry.Snapshot())
            yield return new Measurement<long>(read(sink), new KeyValuePair<string, object?>("sink", sink.Name));
    }

    static IEnumerable<Measurement<long>> Dropped()
    {
        foreach (var sink in SinkRegistry.Snapshot())
        {
            var byReason = sink.Counters.DroppedByReason();
            for (var i = 0; i < byReason.Length; i++)
            {
                yield return new Measurement<long>(byReason[i],
                    new KeyValuePair<string, object?>("sink", sink.Name),
                    new KeyValuePair<string, object?>("reason", ((DropReason)i).ToTag()));
            }
        }
    }
}
