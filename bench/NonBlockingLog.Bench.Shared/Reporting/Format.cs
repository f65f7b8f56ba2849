using System.Globalization;

namespace NonBlockingLog.Bench.Reporting;

/// <summary>How figures are written in the table and the progress lines: fixed culture, units chosen by size.</summary>
public static class Format
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Count(long value) => value.ToString("N0", Invariant);

    public static string Nanoseconds(double ns) => ns switch
    {
        < 1_000 => $"{ns.ToString("0", Invariant)} ns",
        < 1_000_000 => $"{(ns / 1e3).ToString("0.0", Invariant)} µs",
        < 1_000_000_000 => $"{(ns / 1e6).ToString("0.0", Invariant)} ms",
        _ => $"{(ns / 1e9).ToString("0.00", Invariant)} s",
    };

    public static string Duration(TimeSpan value) => Nanoseconds(value.Ticks * 100.0);

    /// <summary>When <paramref name="at"/> was relative to <paramref name="reference"/> (Stopwatch timestamps), such as "+1.2 ms" or "-40.0 ms".</summary>
    public static string Offset(long at, long reference)
    {
        var ns = (at - reference) * (1e9 / System.Diagnostics.Stopwatch.Frequency);
        return (ns < 0 ? "-" : "+") + Nanoseconds(Math.Abs(ns));
    }

    public static string Megabytes(long bytes) => $"{(bytes / (1024.0 * 1024)).ToString("0.0", Invariant)} MB";

    public static string Ratio(double value) => value.ToString("0.0", Invariant);

    /// <summary>Only the reasons that occurred, such as "queue_full 1,204; sink_failure 3", or "0".</summary>
    public static string Drops(IReadOnlyDictionary<DropReason, long> byReason)
    {
        var parts = byReason.Where(kv => kv.Value != 0).OrderBy(kv => kv.Key).Select(kv => $"{kv.Key.ToTag()} {Count(kv.Value)}").ToList();
        return parts.Count == 0 ? "0" : string.Join("; ", parts);
    }
}
