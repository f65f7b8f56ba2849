namespace NonBlockingLog;

/// <summary>The lifecycle state of a NonBlockingLog sink's background consumer.</summary>
public enum SinkState
{
    /// <summary>The consumer is running and writing what is queued.</summary>
    Running,

    /// <summary>Work is pending but the consumer has made no progress for <c>stallTimeout</c>.</summary>
    Stalled,

    /// <summary>The consumer is being restarted after a fault or a stall.</summary>
    Restarting,

    /// <summary>The consumer ended with an unhandled error and is not running.</summary>
    Faulted,

    /// <summary>The sink has been disposed; the consumer has ended.</summary>
    Stopped,
}
