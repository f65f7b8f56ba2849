using System.Diagnostics;

namespace NonBlockingLog.Queueing;

/// <summary>
/// The estimated bytes of the large events in the queue (<see cref="EventSize"/>), against a limit. Reserved by the
/// caller before its event enters the ring, released when the event leaves it (taken by the consumer, evicted,
/// discarded at shutdown) by the figure the ring kept with the event, so that it is 0 whenever no large event is
/// queued, whatever happened to the events meanwhile.
/// </summary>
internal sealed class QueuedBytes(long? limit)
{
    long _bytes;

    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Reserves <paramref name="size"/> bytes unless the limit would be passed. A single event larger than the whole limit is admitted only into an empty budget, so that it is not refused for ever.</summary>
    public bool TryReserve(long size)
    {
        if (limit is not { } max) return true;
        var after = Interlocked.Add(ref _bytes, size);
        if (after <= max || after == size) return true;
        Interlocked.Add(ref _bytes, -size);
        return false;
    }

    public void Release(long size)
    {
        if (limit is null || size == 0) return;
        var after = Interlocked.Add(ref _bytes, -size);
        Debug.Assert(after >= 0, "only what was reserved is released");
    }
}
