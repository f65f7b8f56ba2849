namespace NonBlockingLog.Sinks.NonBlockingLog;

/// <summary>
/// The exact event accounting of one sink. Every event a caller emits ends in exactly one of: written,
/// dropped (with one reason), or still pending (queued or in flight). All updates are atomic.
/// </summary>
internal sealed class Counters
{
    public static readonly int ReasonCount = Enum.GetValues<DropReason>().Length;

    readonly long[] _dropped = new long[ReasonCount];
    readonly TimeProvider _time;
    long _written;
    long _notices;
    long _lastDropTimestamp = long.MinValue;
    long _observedDropTotal;

    public Counters(TimeProvider time) => _time = time;

    public long Written => Volatile.Read(ref _written);

    /// <summary>Drop notices written into the log; they are the sink's own events, outside the accounting.</summary>
    public long Notices => Volatile.Read(ref _notices);

    public void AddWritten(long count) => Interlocked.Add(ref _written, count);

    public void AddNotice() => Interlocked.Increment(ref _notices);

    public void AddDropped(DropReason reason, long count = 1) => Interlocked.Add(ref _dropped[(int)reason], count);

    /// <summary>
    /// Notes the time if drops were counted since the last look. Reading the clock on every drop cost ~25 ns
    /// on the callers' drop path, so the time of a drop is when it is first observed: by the watchdog (every
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

    public long Dropped(DropReason reason) => Volatile.Read(ref _dropped[(int)reason]);

    public long TotalDropped()
    {
        long sum = 0;
        for (var i = 0; i < _dropped.Length; i++) sum += Volatile.Read(ref _dropped[i]);
        return sum;
    }

    public long[] DroppedByReason()
    {
        var copy = new long[_dropped.Length];
        for (var i = 0; i < copy.Length; i++) copy[i] = Volatile.Read(ref _dropped[i]);
        return copy;
    }

    public static string Tag(DropReason reason) => reason switch
    {
        DropReason.QueueFull => "queue_full",
        DropReason.WaitTimeout => "wait_timeout",
        DropReason.Disposed => "disposed",
        DropReason.SinkFailure => "sink_failure",
        DropReason.ShutdownTimeout => "shutdown_timeout",
        DropReason.ConsumerUnavailable => "consumer_unavailable",
        DropReason.LevelReserve => "level_reserve",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
