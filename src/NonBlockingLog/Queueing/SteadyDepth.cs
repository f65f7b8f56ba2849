namespace NonBlockingLog.Queueing;

/// <summary>
/// Decides how deep the queue may get while it is under sustained overload. Every event waiting in the queue is a
/// live object graph the garbage collector marks and promotes at each collection; with a full 10,000-event queue
/// that work is a large share of the process's CPU, and it slows the very consumer that would empty the queue.
/// Capacity is a burst buffer, so it stays available for bursts: only once the queue has stayed nearly full across
/// several of the watchdog's looks (an overload, not a burst) are new events admitted below a much smaller depth,
/// <see cref="SteadyLimit"/>; callers then wait or drop at that depth, as their fullMode says, exactly as they would
/// at capacity, but the queue costs the collector a fraction of what it did. Once the overload is over (the queue is
/// well below that depth and no caller was turned away at it since the previous look) the whole capacity is back.
/// Pure: the caller passes each observed depth.
/// </summary>
/// <remarks>
/// "Nearly full" is measured against the depth at which ordinary events (below Warning) are turned away, capacity
/// less the level reserve, not against capacity: an overload of ordinary events, the usual kind, holds the queue at
/// that depth, and with the default reserve (a fifth of capacity) it never reaches nine tenths of capacity.
/// </remarks>
internal sealed class SteadyDepth
{
    // Nearly full: this share of the depth ordinary events may reach, or more.
    const double NearlyFull = 0.9;

    // Looks in a row (the watchdog looks every 100 ms) that make an overload rather than a burst.
    const int LooksBeforeLimiting = 3;

    readonly int _capacity;
    int _nearlyFullLooks;

    public SteadyDepth(int capacity, int batchSizeLimit)
    {
        _capacity = capacity;

        // A few batches' worth, so that the consumer always finds a full batch waiting; never more than a quarter
        // of capacity, or there is nothing to gain.
        SteadyLimit = Math.Max(1024, 2 * batchSizeLimit);
        IsEnabled = SteadyLimit * 4 <= capacity;
    }

    /// <summary>The depth below which new events are admitted while limiting.</summary>
    public int SteadyLimit { get; }

    /// <summary>False when capacity is too small for a lower depth to save anything.</summary>
    public bool IsEnabled { get; }

    public bool IsLimiting { get; private set; }

    /// <summary>
    /// One look at the queue's depth, under the level reserve in force (<paramref name="reservedForWarnings"/>, 0 when
    /// off); <paramref name="turnedAwaySinceLastLook"/> says whether a caller found the queue at the steady depth
    /// since the previous look. Returns true when <see cref="IsLimiting"/> changed.
    /// </summary>
    public bool Observe(int depth, int reservedForWarnings, bool turnedAwaySinceLastLook)
    {
        if (!IsEnabled) return false;
        if (IsLimiting)
        {
            // The depth alone cannot tell the end of an overload: under one, the consumer takes a batch at a time,
            // so a look finds the queue a batch lower every few looks, and lifting the limit there would let the
            // queue fill to capacity again until the next three looks. Callers turned away at the steady depth
            // are the overload itself; a look with none, and the queue low, is its end.
            if (depth > SteadyLimit / 2 || turnedAwaySinceLastLook) return false;
            IsLimiting = false;
            _nearlyFullLooks = 0;
            return true;
        }

        _nearlyFullLooks = depth >= (_capacity - reservedForWarnings) * NearlyFull ? _nearlyFullLooks + 1 : 0;
        if (_nearlyFullLooks < LooksBeforeLimiting) return false;
        IsLimiting = true;
        return true;
    }
}
