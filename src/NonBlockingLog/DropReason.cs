namespace NonBlockingLog;

/// <summary>Why an event that a caller emitted was not written. Each reason has its own counter.</summary>
public enum DropReason
{
    /// <summary>The queue was full (<see cref="QueueFullMode.DropNewest"/> or <see cref="QueueFullMode.DropOldest"/>). Tag <c>queue_full</c>.</summary>
    QueueFull,

    /// <summary>In <see cref="QueueFullMode.Wait"/>, no room appeared within <c>waitTimeout</c>. Tag <c>wait_timeout</c>.</summary>
    WaitTimeout,

    /// <summary>The event was emitted after the sink was disposed. Tag <c>disposed</c>.</summary>
    Disposed,

    /// <summary>The wrapped sink threw while writing this event. Tag <c>sink_failure</c>.</summary>
    SinkFailure,

    /// <summary>The event was still queued or in flight when <c>shutdownTimeout</c> ran out during disposal. Tag <c>shutdown_timeout</c>.</summary>
    ShutdownTimeout,

    /// <summary>
    /// In <see cref="QueueFullMode.Wait"/>, the queue was full while the consumer was stalled, restarting or backing
    /// off, so the caller did not wait. Tag <c>consumer_unavailable</c>.
    /// </summary>
    ConsumerUnavailable,

    /// <summary>
    /// A Debug, Verbose or Information event met a queue filled up to the part reserved for warnings and errors
    /// (<c>reservedForWarnings</c>). Tag <c>level_reserve</c>.
    /// </summary>
    LevelReserve,

    /// <summary>
    /// The event's estimated size would have taken the queue's large events past <c>queueSizeLimitBytes</c>, so
    /// that memory stays bounded whatever the events carry. Tag <c>memory_limit</c>.
    /// </summary>
    MemoryLimit,

    /// <summary>
    /// The event's message template had already passed <c>floodLimit</c> events in the current one-second window,
    /// so the flood guard suppressed it before it reached the queue. Tag <c>flood_limit</c>.
    /// </summary>
    FloodLimit,
}
