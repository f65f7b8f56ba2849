namespace NonBlockingLog;

/// <summary>What a NonBlockingLog sink does with a new event when its queue is full.</summary>
public enum QueueFullMode
{
    /// <summary>Drop the event being logged and count it (reason <c>queue_full</c>). The caller never waits. The default.</summary>
    DropNewest,

    /// <summary>Evict the oldest queued event to make room and count it (reason <c>queue_full</c>). The caller never waits.</summary>
    DropOldest,

    /// <summary>
    /// Wait for room at most <c>waitTimeout</c>, then drop the event and count it (reason <c>wait_timeout</c>).
    /// </summary>
    Wait,
}
