namespace NonBlockingLog.Files;

/// <summary>
/// Lets the consumer into a <see cref="FileBatchWriter"/> unless the writer was abandoned or disposed, and runs the
/// writer's disposal once no consumer is inside: at once, or, with the consumer hung inside it (a stall, a shutdown
/// timeout), when it leaves, on its thread (<see cref="DeferredDisposal"/>). Lock-free: whoever abandons or disposes
/// the writer, from any thread, never waits for a hung consumer.
/// </summary>
/// <param name="description">The writer's description, named when a call is refused.</param>
/// <param name="disposeNow">The writer's disposal; runs once, with no consumer inside.</param>
internal sealed class WriterGuard(string description, Action disposeNow)
{
    readonly DeferredDisposal _disposal = new();

    // Set by any thread once the consumer was fenced: a successor may be writing the same files.
    volatile bool _abandoned;

    /// <summary>Consumer, before using the writer. Throws once the writer was abandoned or disposed.</summary>
    public void Enter()
    {
        // An abandoned writer writes nothing more: its batch belongs to a successor, which may be writing the same
        // file at its own offsets.
        if (_abandoned || !_disposal.TryEnter()) throw new ObjectDisposedException(description, "The writer was abandoned or disposed.");
    }

    /// <summary>Consumer, before using the writer. False once the writer was abandoned or disposed.</summary>
    public bool TryEnter() => !_abandoned && _disposal.TryEnter();

    /// <summary>Consumer, done with the writer: disposes it now if its disposal was asked for meanwhile.</summary>
    public void Leave()
    {
        if (_disposal.Leave()) disposeNow();
    }

    /// <summary>Any thread: the consumer is let in no more.</summary>
    public void Abandon() => _abandoned = true;

    /// <summary>Any thread: disposes the writer now, or lets the consumer inside dispose it as it leaves.</summary>
    public void Dispose()
    {
        if (_disposal.TryDisposeNow()) disposeNow();
    }
}
