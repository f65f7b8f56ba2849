using System.Diagnostics;
using NonBlockingLog.Queueing;
using Serilog.Events;

namespace NonBlockingLog.Consumption;

/// <summary>
/// Keeps the queue's last <c>reservedForWarnings</c> slots for Warning and above, so that a flood of low-level
/// events never costs a warning or an error. Deciding needs the queue's depth, and reading it touches the
/// consumer's position, a cache line the consumer writes for every event it takes; so callers first compare
/// against an upper bound built from a position they last saw, and read the real depth only when that bound
/// reaches the limit: about once per limit's worth of events while the queue is short, on every call only while
/// the queue really stands at the limit.
/// </summary>
internal sealed class LevelReserve(EventQueue queue)
{
    // The consumer's position as a caller last saw it: never ahead of the real one (positions only grow), so
    // Enqueued minus this is never below the depth. Written only when that bound reaches the limit.
    long _headSeen;

    /// <summary>Caller's path: true if the queue is certainly below <paramref name="limit"/>; false means "look closer" (<see cref="HasRoom"/>).</summary>
    public bool IsSurelyBelow(int limit) => queue.Enqueued - Volatile.Read(ref _headSeen) < limit;

    /// <summary>True if the queue holds fewer than <paramref name="limit"/> events now; refreshes the bound.</summary>
    public bool HasRoom(int limit)
    {
        // Enqueued first: the depth is read after it, against a tail at least as far on, so the difference is at
        // most the head's position at that moment.
        var enqueued = queue.Enqueued;
        var depth = queue.Count;

        // Written only when it moved: with the consumer stuck, callers turned away here write nothing shared.
        var head = enqueued - depth;
        if (head > Volatile.Read(ref _headSeen)) Volatile.Write(ref _headSeen, head);
        AssertInvariants();
        return depth < limit;
    }

    /// <summary>
    /// Wait mode: waits up to <paramref name="timeout"/> (real time: this blocks a real thread), while
    /// <paramref name="mayWait"/> holds, for the queue to fall below the limit, and enqueues. The limit is read
    /// at each look, so that a reserve changed meanwhile applies to callers already waiting.
    /// </summary>
    public bool WaitForRoom(LogEvent logEvent, Func<int> limit, TimeSpan timeout, Func<bool> mayWait) =>
        // The queue wakes waiting callers whenever the consumer takes events, as it does for callers waiting for
        // any room; each wake-up is one depth read here.
        queue.WaitForRoom(static s => s.Reserve.HasRoom(s.Limit()) && s.Queue.TryEnqueue(s.Event), (Reserve: this, Limit: limit, Queue: queue, Event: logEvent), timeout, mayWait);

    [Conditional("DEBUG")]
    void AssertInvariants() =>
        Debug.Assert(Volatile.Read(ref _headSeen) <= queue.Enqueued, "the position seen is never ahead of the writers");
}
