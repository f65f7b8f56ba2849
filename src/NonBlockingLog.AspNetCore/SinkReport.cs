

namespace NonBlockingLog.AspNetCore;

/// <summary>
/// One sink as the diagnostics endpoint shows it and as the health check's data carries it: plain values under
/// camelCase keys (enums as their names, drop reasons by their metric tags), so that any JSON writer prints
/// the same thing and code can read a value by its key.
/// </summary>
internal static class SinkReport
{
    public static IReadOnlyDictionary<string, object?> Describe(JudgedSink judged)
    {
        var s = judged.Snapshot;
        var dropped = new Dictionary<string, long>(s.DroppedByReason.Count);
        foreach (var reason in Enum.GetValues<DropReason>()) dropped[reason.ToTag()] = s.DroppedByReason.GetValueOrDefault(reason);

        return new Dictionary<string, object?>
        {
            ["name"] = s.Name,
            ["status"] = judged.Status.ToString(),
            ["reasons"] = judged.Reasons,
            ["state"] = s.State.ToString(),
            ["phase"] = s.Phase.ToString(),
            ["phaseSince"] = s.PhaseSince,
            ["lastProgress"] = s.LastProgress,
            ["capacity"] = s.Capacity,
            ["fullMode"] = s.FullMode.ToString(),
            ["waitTimeout"] = s.WaitTimeout,
            ["reservedForWarnings"] = s.ReservedForWarnings,
            ["floodLimit"] = s.FloodLimit,
            ["queueDepth"] = s.QueueDepth,
            ["queueSizeLimitBytes"] = s.QueueSizeLimitBytes,
            ["queuedBytes"] = s.QueuedBytes,
            ["inFlight"] = s.InFlight,
            ["pending"] = s.Pending,
            ["enqueued"] = s.Enqueued,
            ["written"] = s.Written,
            ["dropped"] = s.Dropped,
            ["droppedByReason"] = dropped,
            ["lastDropAt"] = s.LastDropAt,
            ["dropNotices"] = s.DropNotices,
            ["floodingTemplates"] = s.FloodingTemplates
                .Select(f => new Dictionary<string, object?> { ["template"] = f.Template, ["suppressed"] = f.Suppressed, ["lastFloodAt"] = f.LastFloodAt })
                .ToArray(),
            ["restarts"] = new Dictionary<string, long> { ["fault"] = s.FaultRestarts, ["stall"] = s.StallRestarts },
            ["stalls"] = s.Stalls,
            ["lastError"] = s.LastError,
            ["lastErrorAt"] = s.LastErrorAt,
        };
    }
}
