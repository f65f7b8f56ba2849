using System.Diagnostics;
using HdrHistogram;

namespace NonBlockingLog.Bench.Latency;

/// <summary>
/// Log-call latencies in Stopwatch ticks, on HdrHistogram: three significant digits (a percentile is within 0.1% of
/// the true value, and rounded up, never flattering), with the exact maximum, when the slowest call started (to
/// tell whether it coincided with a fault) and the exact mean kept beside it. Recording is an index computation
/// and an increment, with no allocation and no lock: single writer, so each producer records into its own and
/// they are merged with <see cref="Add"/> once the producers have stopped.
/// </summary>
public sealed class LatencyHistogram
{
    // An hour: no log call is slower, and a larger value is recorded as this rather than thrown on.
    static readonly long HighestTicks = Stopwatch.Frequency * 3600;

    readonly LongHistogram _histogram = new(HighestTicks, 3);
    double _sumTicks;

    public long Count => _histogram.TotalCount;

    /// <summary>The largest value recorded, exactly.</summary>
    public long MaxTicks { get; private set; }

    /// <summary>Stopwatch timestamp at which the slowest call started, where it was recorded with one.</summary>
    public long MaxStartedAt { get; private set; }

    public void Record(long ticks) => Record(0, ticks);

    public void Record(long startedAt, long ticks)
    {
        ticks = Math.Clamp(ticks, 0, HighestTicks);
        _histogram.RecordValue(ticks);
        _sumTicks += ticks;
        if (ticks <= MaxTicks) return;
        MaxTicks = ticks;
        MaxStartedAt = startedAt;
    }

    /// <summary>Records the first <paramref name="count"/> of a producer's preallocated samples, outside any timing.</summary>
    public void RecordAll(long[] samples, int count)
    {
        for (var i = 0; i < count; i++) Record(samples[i]);
    }

    public void Add(LatencyHistogram other)
    {
        _histogram.Add(other._histogram);
        _sumTicks += other._sumTicks;
        if (other.MaxTicks <= MaxTicks) return;
        MaxTicks = other.MaxTicks;
        MaxStartedAt = other.MaxStartedAt;
    }

    /// <summary>
    /// The value at or below which <paramref name="percentile"/>% of the records fall: the upper end of its
    /// HdrHistogram bucket, but never above the exact maximum. NaN when nothing was recorded.
    /// </summary>
    public double PercentileNanoseconds(double percentile) =>
        Count == 0 ? double.NaN : ToNanoseconds(Math.Min(_histogram.GetValueAtPercentile(percentile), MaxTicks));

    public double MaxNanoseconds => Count == 0 ? double.NaN : ToNanoseconds(MaxTicks);

    public double MeanNanoseconds => Count == 0 ? double.NaN : ToNanoseconds(_sumTicks / Count);

    /// <summary>Records whose whole bucket lies above <paramref name="nanoseconds"/> (so, to within 0.1%, the calls slower than that).</summary>
    public long CountAbove(double nanoseconds)
    {
        long above = 0;
        foreach (var value in _histogram.RecordedValues())
        {
            if (ToNanoseconds(_histogram.LowestEquivalentValue(value.ValueIteratedTo)) > nanoseconds) above += value.CountAtValueIteratedTo;
        }

        return above;
    }

    /// <summary>One "// " line for a BenchmarkDotNet log: count, p50, p99, p99.9 and max in nanoseconds.</summary>
    public string Summary(string name) =>
        $"// {name}: {Count:N0} calls, p50 {PercentileNanoseconds(50):N0} ns, p99 {PercentileNanoseconds(99):N0} ns, " +
        $"p99.9 {PercentileNanoseconds(99.9):N0} ns, max {MaxNanoseconds:N0} ns";

    // Nanoseconds rather than TimeSpan: a log call takes well under TimeSpan's 100 ns resolution.
    static double ToNanoseconds(double ticks) => ticks * (1e9 / Stopwatch.Frequency);
}
