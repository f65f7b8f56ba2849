namespace NonBlockingLog.Consumption;

/// <summary>Who accounts for the events of an <see cref="InFlightBatch"/>.</summary>
internal enum BatchOwnership
{
    /// <summary>The consumer holds no batch.</summary>
    Empty,

    /// <summary>The consumer holds a batch it is writing; it will account for it.</summary>
    Held,

    /// <summary>Another thread took the batch over (a stall, a shutdown timeout); the consumer never writes again.</summary>
    Fenced,
}
