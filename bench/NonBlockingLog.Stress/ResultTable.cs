using NonBlockingLog.Bench.Reporting;

namespace NonBlockingLog.Stress;

/// <summary>Lays the scenario rows out as the Markdown table the harness prints on stdout.</summary>
internal static class ResultTable
{
    public static void Write(TextWriter output, IReadOnlyList<ScenarioRow> rows)
    {
        var table = new MarkdownTable(
            ("scenario", false), ("emitted", true), ("written", true), ("dropped (by reason)", false), ("pending", true),
            ("unaccounted", true), ("caller p99", true), ("caller max", true), ("restarts", false), ("stalls", true),
            ("detect", true), ("recover", true), ("duplicates", true), ("torn", true), ("result", false), ("notes", false));

        foreach (var row in rows)
        {
            if (row.Skipped is not null)
            {
                table.Add(row.Scenario, "", "", "", "", "", "", "", "", "", "", "", "", "", $"skipped: {row.Skipped}", row.Notes);
                continue;
            }

            table.Add(
                row.Scenario,
                Optional(row.Emitted),
                Optional(row.Written),
                row.DroppedByReason is { } d ? Format.Drops(d) : "",
                Optional(row.Pending),
                row.Unaccounted is { } u ? Format.Count(u) : "n/a",
                row.Latency is { Count: > 0 } l ? Format.Nanoseconds(l.PercentileNanoseconds(99)) : "",
                row.Latency is { Count: > 0 } m ? Format.Nanoseconds(m.MaxNanoseconds) : "",
                Restarts(row),
                Optional(row.Stalls),
                row.Detect is { } detect ? Format.Duration(detect) : "",
                row.Recover is { } recover ? Format.Duration(recover) : "",
                Optional(row.DuplicateLines),
                Optional(row.TornLines),
                row.Passed ? "pass" : "FAIL: " + string.Join("; ", Problems(row)),
                row.Notes);
        }

        table.WriteTo(output);
    }

    static IEnumerable<string> Problems(ScenarioRow row)
    {
        if (row.Unaccounted is { } u && u != 0) yield return $"unaccounted {Format.Count(u)}";
        foreach (var failure in row.Failures) yield return failure;
    }

    static string Restarts(ScenarioRow row)
    {
        if (row.FaultRestarts is null && row.StallRestarts is null) return "";
        var fault = row.FaultRestarts ?? 0;
        var stall = row.StallRestarts ?? 0;
        if (fault + stall == 0) return "0";
        var parts = new List<string>();
        if (fault > 0) parts.Add($"{Format.Count(fault)} fault");
        if (stall > 0) parts.Add($"{Format.Count(stall)} stall");
        return string.Join(", ", parts);
    }

    static string Optional(long? value) => value is { } v ? Format.Count(v) : "";
}
