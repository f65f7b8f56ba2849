using System.Diagnostics;

namespace NonBlockingLog.Benchmarks.Support;

/// <summary>
/// Per-call latencies in Stopwatch ticks, merged from the producers' preallocated arrays outside the timing:
/// exact below 64 ticks, then 32 buckets per power of two (each bucket within ~3% of its values); max is exact.
/// </summary>
internal sealed class LatencyHistogram
{
    readonly long[] _counts = new long[2048];
    long _total;
    long _max;
    double _sumTicks;

    public long Count => _total;

    public void Record(long ticks)
    {
        if (ticks < 0) ticks = 0;
        _counts[Bucket(ticks)]++;
        _total++;
        _sumTicks += ticks;
        if (ticks > _max) _max = ticks;
    }

    public void RecordAll(long[] samples, int count)
    {
        for (var i = 0; i < count; i++) Record(samples[i]);
    }

    /// <summary>The upper bound of the bucket holding the given quantile, in nanoseconds (max is exact).</summary>
    public double QuantileNs(double q)
    {
        if (_total == 0) return double.NaN;
        var rank = (long)Math.Ceiling(q * _total);
        if (rank < 1) rank = 1;
        long seen = 0;
        for (var b = 0; b < _counts.Length; b++)
        {
            seen += _counts[b];
            if (seen >= rank) return ToNs(Math.Min(UpperBound(b), _max));
        }

        return MaxNs;
    }

    public double MaxNs => ToNs(_max);

    /// <summary>The exact mean of the recorded latencies, in nanoseconds.</summary>
    public double MeanNs => _total == 0 ? double.NaN : _sumTicks / _total * 1e9 / Stopwatch.Frequency;

    public string Summary(string name) =>
        $"// {name}: {_total:N0} calls, p50 {QuantileNs(0.50):N0} ns, p99 {QuantileNs(0.99):N0} ns, " +
        $"p99.9 {QuantileNs(0.999):N0} ns, max {MaxNs:N0} ns";

    static double ToNs(long ticks) => ticks * 1e9 / Stopwatch.Frequency;

    static int Bucket(long v)
    {
        if (v < 64) return (int)v;
        var msb = 63 - (int)ulong.LeadingZeroCount((ulong)v);
        var shift = msb - 5;
        return 64 + (msb - 6) * 32 + (int)((v >> shift) - 32);
    }

    static long UpperBound(int bucket)
    {
        if (bucket < 64) return bucket;
        var msb = (bucket - 64) / 32 + 6;
        var shift = msb - 5;
        var mantissa = (bucket - 64) % 32 + 32;
        return ((long)(mantissa + 1) << shift) - 1;
    }
}
