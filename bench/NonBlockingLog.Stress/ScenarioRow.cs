using NonBlockingLog.Bench.Latency;
using NonBlockingLog.Bench.Reporting;

namespace NonBlockingLog.Stress;

/// <summary>
/// One line of the result table: the sink's final accounting, what the callers felt, and the scenario's own
/// checks. A row passes when every check held and the accounting identity is exact (where it can be measured).
/// </summary>
internal sealed class ScenarioRow(string scenario)
{
    readonly List<string> _failures = [];
    readonly List<string> _notes = [];

    public string Scenario { get; } = scenario;

    public long? Emitted { get; set; }
    public long? Written { get; set; }
    public IReadOnlyDictionary<DropReason, long>? DroppedByReason { get; set; }
    public long? Pending { get; set; }

    /// <summary>emitted − written − dropped − pending; null where the process that knew was killed.</summary>
    public long? Unaccounted { get; set; }

    public LatencyHistogram? Latency { get; set; }
    public long? FaultRestarts { get; set; }
    public long? StallRestarts { get; set; }
    public long? Stalls { get; set; }
    public TimeSpan? Detect { get; set; }
    public TimeSpan? Recover { get; set; }

    /// <summary>For scenarios that check a log file: lines that repeat an earlier event, and lines that are not whole.</summary>
    public long? DuplicateLines { get; set; }

    public long? TornLines { get; set; }

    /// <summary>Set when the scenario could not run here, such as a tmpfs that cannot be mounted.</summary>
    public string? Skipped { get; set; }

    public IReadOnlyList<string> Failures => _failures;

    public bool Passed => Skipped is not null || (_failures.Count == 0 && Unaccounted is null or 0);

    /// <summary>Fills the accounting columns from the sink's final snapshot and the callers' own count.</summary>
    public static ScenarioRow FromSnapshot(string scenario, long emitted, NonBlockingLogSnapshot s, LatencyHistogram? latency) => new(scenario)
    {
        Emitted = emitted,
        Written = s.Written,
        DroppedByReason = s.DroppedByReason,
        Pending = s.Pending,
        Unaccounted = emitted - s.Written - s.Dropped - s.Pending,
        Latency = latency,
        FaultRestarts = s.FaultRestarts,
        StallRestarts = s.StallRestarts,
        Stalls = s.Stalls,
    };

    /// <summary>Records a check; a false one fails the row (and the run) with <paramref name="failure"/>.</summary>
    public bool Check(bool holds, string failure)
    {
        if (!holds) _failures.Add(failure);
        return holds;
    }

    public void Note(string note) => _notes.Add(note);

    public string Notes => string.Join("; ", Latency is { Count: > 0 } l ? _notes.Append(SlowCalls(l)) : _notes);

    // On a shared 2-core machine a preempted caller is slow for a scheduler quantum or more; this says how often.
    static string SlowCalls(LatencyHistogram latency) =>
        $"calls over 1 ms: {Format.Count(latency.CountAbove(1e6))} of {Format.Count(latency.Count)}";

    public static ScenarioRow Skip(string scenario, string reason) => new(scenario) { Skipped = reason };

    public static ScenarioRow Crashed(string scenario, Exception ex)
    {
        var row = new ScenarioRow(scenario);
        row.Check(false, $"the scenario itself failed: {ex.GetType().Name}: {ex.Message}");
        return row;
    }
}
