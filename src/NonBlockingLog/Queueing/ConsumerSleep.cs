namespace NonBlockingLog.Queueing;

/// <summary>How the consumer waits for events, as callers see it (see <see cref="ConsumerWakeGate"/>).</summary>
internal enum ConsumerSleep
{
    /// <summary>Writing, or looking at the queue: callers wake nobody.</summary>
    Awake,

    /// <summary>Sleeping at most the doze interval: callers wake it only once a batch's worth of events waits.</summary>
    Dozing,

    /// <summary>Sleeping until the next event: that event's caller wakes it.</summary>
    Asleep,
}
