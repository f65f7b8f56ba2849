namespace NonBlockingLog;

/// <summary>What a sink's consumer is doing now; with its start time, this tells where a stall is stuck.</summary>
public enum ConsumerPhase
{
    /// <summary>Waiting for events (the queue is empty).</summary>
    Waiting,

    /// <summary>Writing a batch to the destination.</summary>
    Writing,

    /// <summary>Flushing a written batch to the operating system.</summary>
    Flushing,

    /// <summary>The destination failed with an I/O error; the batch is retried after a backoff.</summary>
    BackingOff,
}
