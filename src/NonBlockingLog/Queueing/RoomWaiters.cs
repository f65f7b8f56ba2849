using System.Diagnostics;

namespace NonBlockingLog.Queueing;

/// <summary>
/// Callers waiting for room in <see cref="QueueFullMode.Wait"/>. A plain monitor, not Channel's WaitToWriteAsync:
/// that would resume on the thread pool, and a starved pool is exactly when logging must keep going. The consumer
/// pays for a pulse only while somebody waits.
/// </summary>
internal sealed class RoomWaiters
{
    // Guards the waits: the consumer pulses it after taking events.
    readonly object _lock = new();
    int _waiting;

    /// <summary>Callers waiting now.</summary>
    public int Count => Volatile.Read(ref _waiting);

    /// <summary>
    /// Calls <paramref name="tryEnqueue"/> until it succeeds, <paramref name="mayWait"/> says stop, or
    /// <paramref name="timeout"/> (real time: this blocks a real thread) runs out.
    /// </summary>
    public bool WaitFor<TState>(Func<TState, bool> tryEnqueue, TState state, TimeSpan timeout, Func<bool> mayWait)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        Interlocked.Increment(ref _waiting);
        try
        {
            lock (_lock)
            {
                while (true)
                {
                    if (tryEnqueue(state)) return true;
                    if (!mayWait()) return false;
                    var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                    if (remaining <= TimeSpan.Zero) return false;
                    Monitor.Wait(_lock, remaining);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>The consumer made room.</summary>
    public void OnRoomMade()
    {
        // Pairs with the Increment in WaitFor: either a waiter sees the room, or we see the waiter.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _waiting) > 0) PulseAll();
    }

    /// <summary>Wakes every waiting caller so that it looks again (room, completion, or a changed policy or breaker).</summary>
    public void PulseAll()
    {
        lock (_lock) Monitor.PulseAll(_lock);
    }
}
