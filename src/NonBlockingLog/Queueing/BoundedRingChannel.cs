using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace NonBlockingLog.Queueing;

/// <summary>
/// A bounded, lock-free multi-producer multi-consumer <see cref="Channel{T}"/> (Vyukov's bounded queue: one
/// sequence number per slot, positions claimed with one compare-and-swap). Written by hand because the
/// runtime's BoundedChannel takes a lock on every TryWrite and TryRead: callers contend with each other and
/// with the consumer on it, and a caller can wait behind a thread that was descheduled while holding it, which
/// is the caller latency this sink promises to bound. Exactly <c>capacity</c> events fit. Completion is a bit in
/// the tail position, so a write either lands before completion or fails, never in between.
/// </summary>
internal sealed class BoundedRingChannel<T> : Channel<T> where T : class
{
    const long CompletedBit = 1L << 62;

    readonly Slot[] _slots;
    readonly int _capacity;
    RingPositions _positions;

    // Completion is also kept here, apart from the tail: the reader checks it on every read, and reading the tail
    // would pull the line writers compare-and-swap into the reader's core each time (one more transfer per event
    // for callers). Set once, after the tail's bit, with a full fence (see TryComplete).
    int _completed;

    // Guards the async waiters only; the fast paths read the flags.
    readonly object _waitLock = new();
    TaskCompletionSource<bool>? _readWaiter;
    TaskCompletionSource<bool>? _writeWaiter;
    int _readerWaiting;
    int _writerWaiting;
    Exception? _completionError;
    readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public BoundedRingChannel(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);

        // With one slot, "filled at lap n" and "free for lap n+1" would be the same sequence number, so a
        // capacity of 1 gets two slots and an explicit bound (the only case that reads the head when writing).
        _capacity = capacity;
        _slots = new Slot[Math.Max(capacity, 2)];
        for (var i = 0; i < _slots.Length; i++) _slots[i].Sequence = i;
        Reader = new RingReader(this);
        Writer = new RingWriter(this);
    }

    /// <summary>Events ever accepted: exact, and never decreasing.</summary>
    public long Written => Volatile.Read(ref _positions.Tail) & ~CompletedBit;

    bool IsCompleted => (Volatile.Read(ref _positions.Tail) & CompletedBit) != 0;

    int Count
    {
        get
        {
            var tail = Written;
            var head = Volatile.Read(ref _positions.Head);
            return (int)Math.Clamp(tail - head, 0, _capacity);
        }
    }

    bool TryWrite(T item)
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
                // The compare-and-swap is also a full fence: callers rely on it (see EventQueue.TryEnqueue).
                var seen = Interlocked.CompareExchange(ref _positions.Tail, pos + 1, pos);
                if (seen == pos)
                {
                    slot.Item = item;
                    Volatile.Write(ref slot.Sequence, pos + 1);
                    if (Volatile.Read(ref _readerWaiting) != 0) WakeReaders();
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

    bool TryRead(out T item)
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
                    if (Volatile.Read(ref _writerWaiting) != 0) WakeWriters();

                    // The compare-and-swap above is a full fence, and so is TryComplete's write of the flag before
                    // it reads the head: either it sees this read, or this read sees the flag.
                    if (Volatile.Read(ref _completed) != 0) CompleteIfDrained();
                    return true;
                }

                pos = seen;
            }
            else if (diff < 0)
            {
                // Empty, or a writer has claimed this slot and not yet filled it.
                item = null!;
                return false;
            }
            else
            {
                pos = Volatile.Read(ref _positions.Head);
            }
        }
    }

    bool TryPeek(out T item)
    {
        var pos = Volatile.Read(ref _positions.Head);
        ref var slot = ref _slots[(int)((ulong)pos % (ulong)_slots.Length)];
        item = Volatile.Read(ref slot.Sequence) == pos + 1 ? slot.Item! : null!;
        return item is not null;
    }

    bool TryComplete(Exception? error)
    {
        _completionError = error;
        var pos = Volatile.Read(ref _positions.Tail);
        while (true)
        {
            if ((pos & CompletedBit) != 0) return false;
            var seen = Interlocked.CompareExchange(ref _positions.Tail, pos | CompletedBit, pos);
            if (seen == pos) break;
            pos = seen;
        }

        Interlocked.Exchange(ref _completed, 1);
        CompleteIfDrained();
        WakeReaders();
        WakeWriters();
        return true;
    }

    void CompleteIfDrained()
    {
        // Every claimed position has been read, so no writer is still filling a slot.
        AssertInvariants();
        if (Volatile.Read(ref _positions.Head) != Written) return;
        if (_completionError is { } error) _completion.TrySetException(error);
        else _completion.TrySetResult();
    }

    ValueTask<bool> WaitToRead(CancellationToken cancellationToken)
    {
        if (TryPeek(out _)) return new ValueTask<bool>(true);
        if (_completion.Task.IsCompleted) return new ValueTask<bool>(false);
        TaskCompletionSource<bool> waiter;
        lock (_waitLock)
        {
            waiter = _readWaiter ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Exchange(ref _readerWaiting, 1);
        }

        // The flag is published (full fence) before looking again: a writer either sees it or we see its item.
        if (TryPeek(out _) || IsCompleted) WakeReaders();
        return new ValueTask<bool>(waiter.Task.WaitAsync(cancellationToken));
    }

    ValueTask<bool> WaitToWrite(CancellationToken cancellationToken)
    {
        if (IsCompleted) return new ValueTask<bool>(false);
        if (Count < _capacity) return new ValueTask<bool>(true);
        TaskCompletionSource<bool> waiter;
        lock (_waitLock)
        {
            waiter = _writeWaiter ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Exchange(ref _writerWaiting, 1);
        }

        if (Count < _capacity || IsCompleted) WakeWriters();
        return new ValueTask<bool>(waiter.Task.WaitAsync(cancellationToken));
    }

    void WakeReaders()
    {
        TaskCompletionSource<bool>? waiter;
        lock (_waitLock)
        {
            waiter = _readWaiter;
            _readWaiter = null;
            Volatile.Write(ref _readerWaiting, 0);
        }

        // "Data may be available": a reader woken by completion looks again and then gets false.
        waiter?.TrySetResult(true);
    }

    void WakeWriters()
    {
        TaskCompletionSource<bool>? waiter;
        lock (_waitLock)
        {
            waiter = _writeWaiter;
            _writeWaiter = null;
            Volatile.Write(ref _writerWaiting, 0);
        }

        waiter?.TrySetResult(!IsCompleted);
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

    sealed class RingReader(BoundedRingChannel<T> channel) : ChannelReader<T>
    {
        public override bool CanCount => true;
        public override bool CanPeek => true;
        public override int Count => channel.Count;
        public override Task Completion => channel._completion.Task;
        public override bool TryRead(out T item) => channel.TryRead(out item);
        public override bool TryPeek(out T item) => channel.TryPeek(out item);
        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => channel.WaitToRead(cancellationToken);
    }

    sealed class RingWriter(BoundedRingChannel<T> channel) : ChannelWriter<T>
    {
        public override bool TryWrite(T item) => channel.TryWrite(item);
        public override bool TryComplete(Exception? error = null) => channel.TryComplete(error);
        public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) => channel.WaitToWrite(cancellationToken);
    }
}

/// <summary>
/// A ring's head and tail, each on its own cache lines: writers hammer one, the reader the other. Outside the
/// generic type because the runtime refuses explicit layout on generic types.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 384)]
internal struct RingPositions
{
    [FieldOffset(128)] public long Tail;
    [FieldOffset(256)] public long Head;
}
