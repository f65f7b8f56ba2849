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
/// position, so a write either lands before completion or fails, never in between.
/// </summary>
internal sealed class BoundedRing<T> where T : class
{
    const long CompletedBit = 1L << 62;

    readonly Slot[] _slots;
    readonly int _capacity;
    RingPositions _positions;

    // Completion is also kept apart from the tail: the consumer asks for it whenever it finds the ring empty, and
    // reading the tail would pull the line writers compare-and-swap into the consumer's core each time. Set once,
    // after the tail's bit.
    int _completed;

    public BoundedRing(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);

        // With one slot, "filled at lap n" and "free for lap n+1" would be the same sequence number, so a
        // capacity of 1 gets two slots and an explicit bound (the only case that reads the head when writing).
        _capacity = capacity;
        _slots = new Slot[Math.Max(capacity, 2)];
        for (var i = 0; i < _slots.Length; i++) _slots[i].Sequence = i;
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

    /// <summary>Adds <paramref name="item"/> unless the ring is full or completed. Ends in a full fence when it succeeds.</summary>
    public bool TryWrite(T item)
    {
        var slots = _slots;
        var pos = Volatile.Read(ref _positions.Tail);
        while (true)
        {
            if ((pos & CompletedBit) != 0) return false;
            if (_capacity == 1 && pos - Volatile.Read(ref _positions.Head) >= 1) return false;
            ref var slot = ref slots[(int)((ulong)pos % (ulong)slots.Length)];
            var diff = Volatile.Read(ref slot.Sequence) - pos;
            if (diff == 0)
            {
                // The compare-and-swap is also a full fence: callers rely on it (see ConsumerWakeGate).
                var seen = Interlocked.CompareExchange(ref _positions.Tail, pos + 1, pos);
                if (seen == pos)
                {
                    slot.Item = item;
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
    public bool TryRead([NotNullWhen(true)] out T? item)
    {
        var slots = _slots;
        var pos = Volatile.Read(ref _positions.Head);
        while (true)
        {
            ref var slot = ref slots[(int)((ulong)pos % (ulong)slots.Length)];
            var diff = Volatile.Read(ref slot.Sequence) - (pos + 1);
            if (diff == 0)
            {
                var seen = Interlocked.CompareExchange(ref _positions.Head, pos + 1, pos);
                if (seen == pos)
                {
                    item = slot.Item!;
                    slot.Item = null;
                    Volatile.Write(ref slot.Sequence, pos + slots.Length);
                    return true;
                }

                pos = seen;
            }
            else if (diff < 0)
            {
                // Empty, or a writer has claimed this slot and not yet filled it.
                item = null;
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
