using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace NonBlockingLog.Queueing;

/// <summary>
/// A bounded, lock-free multi-producer multi-consumer ring (Vyukov's bounded queue: one sequence number per slot,
/// positions claimed with one compare-and-swap). Written by hand because the runtime's BoundedChannel takes a lock
/// on every TryWrite and TryRead: callers contend with each other and with the consumer on it, and a caller can
/// wait behind a thread that was descheduled while holding it, which is the caller latency this sink promises to
/// bound. Nothing here waits or wakes anyone: waiting is <see cref="ConsumerWakeGate"/>'s and
/// <see cref="RoomWaiters"/>'s business. Exactly <c>capacity</c> items fit. Completion is a bit in the tail
/// position, so a write either lands before completion or fails, never in between. A weighted ring keeps a number
/// with each item (an event's estimated size), handed back by the read that takes the item, so that what leaves
/// is subtracted exactly as it was added.
/// </summary>
internal sealed class BoundedRing<T> where T : class
{
    const long CompletedBit = 1L << 62;

    readonly Slot[] _slots;
    readonly int _capacity;

    // One weight per slot, beside the slots rather than in them, so that an unweighted ring's slots stay small.
    // 0 while the slot is free. Written only for a weight other than 0 (rare: a large event), by the writer that
    // claimed the slot before it publishes the slot's sequence; read, and cleared if set, by the reader that claimed
    // the slot before it frees it. The sequence orders both, as it does the item; and as writers leave the array
    // alone for ordinary items, the reader's reads of it cost callers nothing.
    readonly long[]? _weights;
    RingPositions _positions;

    // Completion is also kept apart from the tail: the consumer asks for it whenever it finds the ring empty, and
    // reading the tail would pull the line writers compare-and-swap into the consumer's core each time. Set once,
    // after the tail's bit.
    int _completed;

    public BoundedRing(int capacity, bool weighted = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);

        // With one slot, "filled at lap n" and "free for lap n+1" would be the same sequence number, so a
        // capacity of 1 gets two slots and an explicit bound (the only case that reads the head when writing).
        _capacity = capacity;
        _slots = new Slot[Math.Max(capacity, 2)];
        for (var i = 0; i < _slots.Length; i++) _slots[i].Sequence = i;
        if (weighted) _weights = new long[_slots.Length];
    }

    /// <summary>Items ever accepted: exact, and never decreasing.</summary>
    public long Written => Volatile.Read(ref _positions.Tail) & ~CompletedBit;

    /// <summary>Items in the ring now.</summary>
    public int Count
    {
        get
        {
            var tail = Written;
            var head = Volatile.Read(ref _positions.Head);
            return (int)Math.Clamp(tail - head, 0, _capacity);
        }
    }

    /// <summary>True once <see cref="Complete"/> was called and every accepted item has been read.</summary>
    public bool IsCompletedAndEmpty =>
        Volatile.Read(ref _completed) != 0 && Volatile.Read(ref _positions.Head) == Written;

    /// <summary>
    /// Adds <paramref name="item"/>, with <paramref name="weight"/> if the ring is weighted, unless the ring is full
    /// or completed. Ends in a full fence when it succeeds.
    /// </summary>
    public bool TryWrite(T item, long weight = 0)
    {
        var slots = _slots;
        var pos = Volatile.Read(ref _positions.Tail);
        while (true)
        {
            if ((pos & CompletedBit) != 0) return false;
            if (_capacity == 1 && pos - Volatile.Read(ref _positions.Head) >= 1) return false;
            var index = (int)((ulong)pos % (ulong)slots.Length);
            ref var slot = ref slots[index];
            var diff = Volatile.Read(ref slot.Sequence) - pos;
            if (diff == 0)
            {
                // The compare-and-swap is also a full fence: callers rely on it (see ConsumerWakeGate).
                var seen = Interlocked.CompareExchange(ref _positions.Tail, pos + 1, pos);
                if (seen == pos)
                {
                    slot.Item = item;
                    if (weight != 0 && _weights is { } weights) weights[index] = weight;
                    Volatile.Write(ref slot.Sequence, pos + 1);
                    return true;
                }

                pos = seen;
            }
            else if (diff < 0)
            {
                return false; // full: the slot still holds the item from one lap ago
            }
            else
            {
                pos = Volatile.Read(ref _positions.Tail);
            }
        }
    }

    /// <summary>Takes the oldest item, if one is ready. Safe from several readers at once (DropOldest evicts as a reader).</summary>
    public bool TryRead([NotNullWhen(true)] out T? item) => TryRead(out item, out _);

    /// <summary>Takes the oldest item, if one is ready, and the weight it was written with (0 in an unweighted ring).</summary>
    public bool TryRead([NotNullWhen(true)] out T? item, out long weight)
    {
        var slots = _slots;
        var pos = Volatile.Read(ref _positions.Head);
        while (true)
        {
            var index = (int)((ulong)pos % (ulong)slots.Length);
            ref var slot = ref slots[index];
            var diff = Volatile.Read(ref slot.Sequence) - (pos + 1);
            if (diff == 0)
            {
                var seen = Interlocked.CompareExchange(ref _positions.Head, pos + 1, pos);
                if (seen == pos)
                {
                    item = slot.Item!;
                    slot.Item = null;
                    weight = 0;
                    if (_weights is { } weights && weights[index] != 0) (weight, weights[index]) = (weights[index], 0);
                    Volatile.Write(ref slot.Sequence, pos + slots.Length);
                    return true;
                }

                pos = seen;
            }
            else if (diff < 0)
            {
                // Empty, or a writer has claimed this slot and not yet filled it.
                item = null;
                weight = 0;
                return false;
            }
            else
            {
                pos = Volatile.Read(ref _positions.Head);
            }
        }
    }

    /// <summary>True if the oldest item is ready to be read. Does not move anything.</summary>
    public bool HasReadyItem()
    {
        var pos = Volatile.Read(ref _positions.Head);
        ref var slot = ref _slots[(int)((ulong)pos % (ulong)_slots.Length)];
        return Volatile.Read(ref slot.Sequence) == pos + 1;
    }

    /// <summary>Refuses every later write. False if already completed.</summary>
    public bool Complete()
    {
        var pos = Volatile.Read(ref _positions.Tail);
        while (true)
        {
            if ((pos & CompletedBit) != 0) return false;
            var seen = Interlocked.CompareExchange(ref _positions.Tail, pos | CompletedBit, pos);
            if (seen == pos) break;
            pos = seen;
        }

        Interlocked.Exchange(ref _completed, 1);
        AssertInvariants();
        return true;
    }

    [Conditional("DEBUG")]
    void AssertInvariants()
    {
        var head = Volatile.Read(ref _positions.Head);
        Debug.Assert(head <= Written, "the reader never passes the writers");
    }

    struct Slot
    {
        public T? Item;
        public long Sequence;
    }
}
