using System.Diagnostics;
using System.Numerics;

namespace NonBlockingLog.Stress;

/// <summary>
/// Caller latencies of one producer thread, in Stopwatch ticks. Log-linear buckets (32 per power of two, so a
/// percentile is within about 3% of the true value) in one array allocated up front: recording is an index
/// computation and an increment, with no allocation and no lock, so measuring every call disturbs it little.
/// Single writer: each producer owns one, and they are merged after the producers have stopped.
/// </summary>
internal sealed class Histogram
{
    const int SubBucketBits = 5;
    const int SubBuckets = 1 << SubBucketBits;

    // Values below SubBuckets get a bucket each; above, each power of two up to 2^62 gets SubBuckets buckets.
    const int BucketCount = (64 - SubBucketBits) * SubBuckets;

    readonly long[] _counts = new long[BucketCount];

    public long Count { get; private set; }

    /// <summary>The largest value recorded, exactly.</summary>
    public long MaxTicks { get; private set; }

    /// <summary>Stopwatch timestamp at which the slowest call started: tells whether it coincided with a fault.</summary>
    public long MaxStartedAt { get; private set; }

    public void Record(long startedAt, long ticks)
    {
        if (ticks < 0) ticks = 0;
        _counts[IndexOf(ticks)]++;
        Count++;
        if (ticks <= MaxTicks) return;
        MaxTicks = ticks;
        MaxStartedAt = startedAt;
    }

    public void Add(Histogram other)
    {
        for (var i = 0; i < BucketCount; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        if (other.MaxTicks <= MaxTicks) return;
        MaxTicks = other.MaxTicks;
        MaxStartedAt = other.MaxStartedAt;
    }

    /// <summary>
    /// The value at or below which <paramref name="percentile"/>% of the records fall, rounded up to its bucket's
    /// upper bound (never above the exact maximum), so that a reported p99 is never flattering.
    /// </summary>
    public double PercentileNanoseconds(double percentile)
    {
        if (Count == 0) return 0;
        var rank = (long)Math.Ceiling(percentile / 100 * Count);
        if (rank < 1) rank = 1;
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return ToNanoseconds(Math.Min(UpperBoundOf(i), MaxTicks));
        }

        return MaxNanoseconds;
    }

    public double MaxNanoseconds => ToNanoseconds(MaxTicks);

    /// <summary>Records whose whole bucket lies above <paramref name="nanoseconds"/> (so, to within ~3%, the calls slower than that).</summary>
    public long CountAbove(double nanoseconds)
    {
        long above = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            if (_counts[i] != 0 && ToNanoseconds(LowerBoundOf(i)) > nanoseconds) above += _counts[i];
        }

        return above;
    }

    static int IndexOf(long value)
    {
        if (value < SubBuckets) return (int)value;
        var shift = (63 - BitOperations.LeadingZeroCount((ulong)value)) - SubBucketBits;
        return shift * SubBuckets + (int)(value >> shift);
    }

    static long LowerBoundOf(int index) => index < SubBuckets ? index : (long)(SubBuckets + index % SubBuckets) << (index / SubBuckets - 1);

    static long UpperBoundOf(int index)
    {
        if (index < SubBuckets) return index;
        var shift = index / SubBuckets - 1;
        var top = SubBuckets + index % SubBuckets;
        return ((long)(top + 1) << shift) - 1;
    }

    // Nanoseconds rather than TimeSpan: a log call takes well under TimeSpan's 100 ns resolution.
    static double ToNanoseconds(long ticks) => ticks * (1e9 / Stopwatch.Frequency);
}
