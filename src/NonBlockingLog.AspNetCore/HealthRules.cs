using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NonBlockingLog.AspNetCore;

/// <summary>
/// How a sink's snapshot turns into a health status, and which sinks are judged. Pure: the time is passed in,
/// so that the health check, the diagnostics endpoint and the tests all judge the same way.
/// </summary>
internal sealed record HealthRules(IReadOnlyList<string>? Sinks, TimeSpan ProgressTimeout, TimeSpan RecentWindow)
{
    public static readonly TimeSpan DefaultProgressTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultRecentWindow = TimeSpan.FromMinutes(1);

    public static HealthRules Default { get; } = new(null, DefaultProgressTimeout, DefaultRecentWindow);

    public static HealthRules Create(IEnumerable<string>? sinks, TimeSpan? progressTimeout, TimeSpan? recentWindow)
    {
        var names = sinks?.ToArray();
        if (names is not null && names.Any(string.IsNullOrWhiteSpace)) throw new ArgumentException("sinks must hold sink names (the sinks' name settings), none empty; pass null to check every sink.", nameof(sinks));
        if (progressTimeout is { } p && p <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(progressTimeout), p, "progressTimeout must be a positive duration, such as 00:00:05.");
        if (recentWindow is { } r && r <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(recentWindow), r, "recentWindow must be a positive duration, such as 00:01:00.");
        return new HealthRules(names, progressTimeout ?? DefaultProgressTimeout, recentWindow ?? DefaultRecentWindow);
    }

    /// <summary>Reads the sinks these rules cover, judges each, and sums up.</summary>
    public LoggingHealth Evaluate(DateTimeOffset now)
    {
        var judged = new List<JudgedSink>();
        var missing = new List<string>();
        if (Sinks is null)
        {
            foreach (var sink in NonBlockingLogSinks.All) judged.Add(Judge(sink.GetSnapshot(), now));
        }
        else
        {
            foreach (var name in Sinks.Distinct(StringComparer.Ordinal))
            {
                if (NonBlockingLogSinks.Find(name) is { } sink) judged.Add(Judge(sink.GetSnapshot(), now));
                else missing.Add(name);
            }
        }

        judged.Sort((a, b) => string.CompareOrdinal(a.Snapshot.Name, b.Snapshot.Name));
        return Summarize(judged, missing, now);
    }

    /// <summary>
    /// Unhealthy: nothing is being written. Degraded: events are still written, but something is wrong now or
    /// went wrong recently. Every rule that applies is listed, so that one request answers "why".
    /// </summary>
    public JudgedSink Judge(NonBlockingLogSnapshot s, DateTimeOffset now)
    {
        var status = HealthStatus.Healthy;
        var reasons = new List<string>();
        void Add(HealthStatus level, string reason)
        {
            if (level < status) status = level;
            reasons.Add(reason);
        }

        if (s.State == SinkState.Stalled)
            Add(HealthStatus.Unhealthy, $"the consumer is stalled: {s.Pending} events pending and no progress since {Time(s.LastProgress)}; it is being replaced");
        if (s.State == SinkState.Faulted)
            Add(HealthStatus.Unhealthy, $"the consumer died ({s.LastError}); it is restarted after a backoff");
        if (s.State == SinkState.Stopped)
            Add(HealthStatus.Unhealthy, "the sink is disposed; it accepts no events");

        // The supervisor replaces a consumer only after stallTimeout (10 s by default), and a retried I/O outage
        // never counts as a stall: this rule says "nothing is being written" from the outside, sooner, whatever
        // the cause. LastProgress is the watchdog's last sighting of progress (also reset when a consumer is replaced).
        var stuckFor = now - s.LastProgress;
        if (s.Pending > 0 && stuckFor >= ProgressTimeout && s.State != SinkState.Stopped)
            Add(HealthStatus.Unhealthy, $"no progress for {Duration(stuckFor)} with {s.Pending} events pending (the consumer is {s.Phase} since {Time(s.PhaseSince)})");

        if (s.State == SinkState.Restarting)
            Add(HealthStatus.Degraded, $"the consumer is restarting (restarts: {s.FaultRestarts} after faults, {s.StallRestarts} after stalls)");
        if (s.Phase == ConsumerPhase.BackingOff)
            Add(HealthStatus.Degraded, $"the destination is failing and the batch is being retried: {s.LastError}");

        // A drop or an error a while ago is over, but whoever looks now should still hear of it: a crash that
        // was recovered in 100 ms would otherwise never show.
        if (s.LastDropAt is { } dropAt && now - dropAt < RecentWindow)
            Add(HealthStatus.Degraded, $"events were dropped in the last {Duration(RecentWindow)}, the last at {Time(dropAt)} (in all: {DropSummary(s)})");
        // Which call site floods, by its template: the drop rule above says only how many were suppressed.
        var floods = s.FloodingTemplates.Where(f => now - f.LastFloodAt < RecentWindow).ToArray();
        if (floods.Length > 0)
            Add(HealthStatus.Degraded, $"templates over floodLimit ({s.FloodLimit} events a second) in the last {Duration(RecentWindow)}, their excess suppressed: {FloodSummary(floods)}");
        if (s.LastErrorAt is { } errorAt && now - errorAt < RecentWindow)
            Add(HealthStatus.Degraded, $"an error in the last {Duration(RecentWindow)}, at {Time(errorAt)}: {s.LastError}");

        return new JudgedSink(s, status, reasons);
    }

    static LoggingHealth Summarize(List<JudgedSink> judged, List<string> missing, DateTimeOffset now)
    {
        var status = HealthStatus.Healthy;
        var problems = new List<string>();
        foreach (var name in missing)
        {
            status = HealthStatus.Unhealthy;
            problems.Add($"no running NonBlockingLog sink is named {name} (not configured, misnamed, or disposed)");
        }

        foreach (var j in judged)
        {
            if (j.Status < status) status = j.Status;
            if (j.Status != HealthStatus.Healthy) problems.Add($"sink {j.Snapshot.Name} is {j.Status}: {string.Join("; ", j.Reasons)}");
        }

        string description;
        if (judged.Count == 0 && missing.Count == 0)
        {
            // Not Healthy: a check over nothing would claim that logging works when no NonBlockingLog sink exists,
            // for example when configuration failed to name the "NonBlockingLog" assembly. Not Unhealthy either:
            // an app may legitimately log elsewhere in some environments.
            status = HealthStatus.Degraded;
            description = "no NonBlockingLog sink is running in this process";
        }
        else if (problems.Count == 0)
        {
            description = $"{judged.Count} NonBlockingLog sink(s) healthy: {string.Join(", ", judged.Select(j => j.Snapshot.Name))}";
        }
        else
        {
            description = string.Join(". ", problems);
        }

        return new LoggingHealth(status, description, judged, missing, now);
    }

    static string DropSummary(NonBlockingLogSnapshot s) =>
        string.Join(", ", s.DroppedByReason.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key.ToTag()}: {kv.Value}"));

    static string FloodSummary(IEnumerable<FloodingTemplate> floods) =>
        string.Join(", ", floods.Select(f => $"'{f.Template}' ({f.Suppressed} suppressed, last at {Time(f.LastFloodAt)})"));

    internal static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    static string Duration(TimeSpan d) =>
        d.TotalSeconds < 120 ? d.TotalSeconds.ToString("0.0 's'", CultureInfo.InvariantCulture) : d.ToString(@"d\.hh\:mm\:ss", CultureInfo.InvariantCulture);
}

/// <summary>One sink's snapshot with its verdict.</summary>
internal sealed record JudgedSink(NonBlockingLogSnapshot Snapshot, HealthStatus Status, IReadOnlyList<string> Reasons);

/// <summary>The verdict over all the sinks a rule set covers.</summary>
internal sealed record LoggingHealth(HealthStatus Status, string Description, IReadOnlyList<JudgedSink> Sinks, IReadOnlyList<string> Missing, DateTimeOffset CheckedAt);
