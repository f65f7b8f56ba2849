using System.Diagnostics;
using System.Numerics;

namespace NonBlockingLog.Accounting;

/// <summary>
/// The exact event accounting of one sink. Every event a caller emits ends in exactly one of: written,
/// dropped (with one reason), or still pending (queued or in flight). All updates are atomic.
/// </summary>
internal sealed class Counters
{
    public static readonly int ReasonCount = Enum.GetValues<DropReason>().Length;

    // Drop counts are striped by processor. With the consumer stuck and callers dropping on every core at once,
    // one shared count per reason made every drop an increment of the same cache line, each waiting for the line
    // to come over from the core that dropped last; the drop path writes nothing else that is shared. A stripe is
    // a row of per-reason counts, Stride longs (128 bytes) apart so that no two rows share a line even with
    // adjacent-line prefetch; row 0 is left unused so that no row shares a line with the array's length, which
    // every bounds check reads. Readers sum the rows: exact, like each increment.
    const int Stride = 16;
    static readonly int StripeMask = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 64)) - 1;

    readonly long[] _dropped = new long[(StripeMask + 2) * Stride];
    readonly TimeProvider _time;
    long _written;
    long _notices;
    long _lastDropTimestamp = long.MinValue;
    long _observedDropTotal;

    public Counters(TimeProvider time)
    {
        Debug.Assert(ReasonCount <= Stride, "a stripe row holds every reason");
        _time = time;
    }

    public long Written => Volatile.Read(ref _written);

    /// <summary>Drop notices and flood summaries written into the log; they are the sink's own events, outside the accounting.</summary>
    public long Notices => Volatile.Read(ref _notices);

    public void AddWritten(long count) => Interlocked.Add(ref _written, count);

    public void AddNotices(int lines) => Interlocked.Add(ref _notices, lines);

    public void AddDropped(DropReason reason, long count = 1) =>
        Interlocked.Add(ref _dropped[((Thread.GetCurrentProcessorId() & StripeMask) + 1) * Stride + (int)reason], count);

    /// <summary>
    /// Notes the time if drops were counted since the last look. Reading the clock on every drop would cost
    /// the callers' drop path more than the rest of it, so the time of a drop is when it is first observed: by the watchdog (every
    /// 100 ms) or by a snapshot, whichever comes first.
    /// </summary>
    public void ObserveDrops()
    {
        var total = TotalDropped();
        var seen = Volatile.Read(ref _observedDropTotal);
        if (total != seen && Interlocked.CompareExchange(ref _observedDropTotal, total, seen) == seen)
            Volatile.Write(ref _lastDropTimestamp, _time.GetTimestamp());
    }

    /// <summary>When the last drop was observed (within ~100 ms of it), or <c>null</c> if none was; health checks look for recent drops.</summary>
    public DateTimeOffset? LastDropAt
    {
        get
        {
            ObserveDrops();
            var at = Volatile.Read(ref _lastDropTimestamp);
            return at == long.MinValue ? null : _time.GetUtcNow() - _time.GetElapsedTime(at);
        }
    }

    public long Dropped(DropReason reason)
    {
        long sum = 0;
        for (var row = Stride; row < _dropped.Length; row += Stride) sum += Volatile.Read(ref _dropped[row + (int)reason]);
        return sum;
    }

    public long TotalDropped()
    {
        long sum = 0;
        for (var row = Stride; row < _dropped.Length; row += Stride)
            for (var reason = 0; reason < ReasonCount; reason++) sum += Volatile.Read(ref _dropped[row + reason]);
        return sum;
    }

    public long[] DroppedByReason()
    {
        var sums = new long[ReasonCount];
        for (var row = Stride; row < _dropped.Length; row += Stride)
            for (var reason = 0; reason < ReasonCount; reason++) sums[reason] += Volatile.Read(ref _dropped[row + reason]);
        return sums;
    }
}
