namespace NonBlockingLog.Files;

/// <summary>
/// Lets a file writer be disposed from another thread while its consumer may be inside it: a stalled consumer's
/// writer is disposed as soon as the consumer is replaced, and the consumer may still be hung in a write. The
/// writer's streams are not thread-safe, and disposing them hands their buffers back to a shared pool that a write
/// in progress still reads, so the disposal then happens when the consumer leaves, on its thread. Lock-free:
/// whoever asks for the disposal never waits for a hung consumer.
/// </summary>
internal sealed class DeferredDisposal
{
    const int Idle = 0;
    const int Inside = 1;
    const int DisposeOnLeave = 2;
    const int Disposed = 3;

    int _state;

    /// <summary>Consumer, before using the writer. False once its disposal was asked for.</summary>
    public bool TryEnter() => Interlocked.CompareExchange(ref _state, Inside, Idle) == Idle;

    /// <summary>Consumer, done with the writer. True if its disposal was asked for meanwhile: the caller disposes it now.</summary>
    public bool Leave()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Inside) == Inside) return false;
        Volatile.Write(ref _state, Disposed);
        return true;
    }

    /// <summary>
    /// Any thread. True if the caller disposes the writer now; false if the consumer will as it leaves, or the
    /// writer was disposed already.
    /// </summary>
    public bool TryDisposeNow()
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if (state >= DisposeOnLeave) return false;
            if (Interlocked.CompareExchange(ref _state, state == Idle ? Disposed : DisposeOnLeave, state) == state) return state == Idle;
        }
    }
}
