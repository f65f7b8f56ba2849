namespace NonBlockingLog.Queueing;

/// <summary>
/// Decides how deep the queue may get while it is under sustained overload. Every event waiting in the queue is a
/// live object graph the garbage collector marks and promotes at each collection; with a full 10,000-event queue
/// that work is a large share of the process's CPU, and it slows the very consumer that would empty the queue.
/// Capacity is a burst buffer, so it stays available for bursts: only once the queue has stayed nearly full across
/// several of the watchdog's looks (an overload, not a burst) are new events admitted below a much smaller depth,
/// <see cref="SteadyLimit"/>; callers then wait or drop at that depth, as their fullMode says, exactly as they would
/// at capacity, but the queue costs the collector a fraction of what it did. Once the queue is well below that
/// depth again (the overload is over) the whole capacity is back. Pure: the caller passes each observed depth.
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
    /// off). Returns true when <see cref="IsLimiting"/> changed.
    /// </summary>
    public bool Observe(int depth, int reservedForWarnings)
    {
        if (!IsEnabled) return false;
        if (IsLimiting)
        {
            if (depth > SteadyLimit / 2) return false;
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
