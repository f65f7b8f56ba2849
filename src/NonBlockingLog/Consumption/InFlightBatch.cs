using System.Diagnostics;
using NonBlockingLog.Accounting;
using NonBlockingLog.Queueing;
using Serilog.Events;

namespace NonBlockingLog.Consumption;

/// <summary>
/// The events one consumer has taken from the queue and not yet accounted as written or dropped, and the lock that
/// decides who accounts for them: the consumer when it finishes the batch, or a thread that takes the batch over
/// while the consumer is stuck (<see cref="TakeOver"/>). Whoever takes the lock first with the batch
/// <see cref="BatchOwnership.Held"/> accounts for it; the other finds it gone.
/// </summary>
internal sealed class InFlightBatch
{
    // Guards _state and _events between the consumer and a thread taking the batch over. The consumer reads the
    // queue only while holding it, so the queue keeps a single reader even across a take-over.
    readonly object _lock = new();
    readonly List<LogEvent> _events;
    readonly Counters _counters;
    bool[] _failed;
    int _state;

    // Written by the consumer as it goes; read by a take-over to tell written events from unwritten ones.
    int _index;

    public InFlightBatch(int batchSizeLimit, Counters counters, IReadOnlyList<LogEvent>? carriedOver)
    {
        _counters = counters;
        _events = new List<LogEvent>(Math.Min(batchSizeLimit, 4096));
        _failed = new bool[Math.Max(batchSizeLimit, carriedOver?.Count ?? 0)];
        if (carriedOver is { Count: > 0 })
        {
            // An accepted event is never lost to a crash or stall: the predecessor's unwritten batch comes first.
            _events.AddRange(carriedOver);
            _state = (int)BatchOwnership.Held;
        }
    }

    /// <summary>Consumer only: the batch's events.</summary>
    public IReadOnlyList<LogEvent> Events => _events;

    public bool IsHeld => Volatile.Read(ref _state) == (int)BatchOwnership.Held;

    public bool IsFenced => Volatile.Read(ref _state) == (int)BatchOwnership.Fenced;

    /// <summary>Events taken from the queue but not yet accounted as written or dropped. Any thread.</summary>
    public int Pending
    {
        get
        {
            lock (_lock) return _state == (int)BatchOwnership.Held ? _events.Count : 0;
        }
    }

    /// <summary>Consumer only: the next event to write; events before it were handed to the writer.</summary>
    public int Index
    {
        get => Volatile.Read(ref _index);
        set => Volatile.Write(ref _index, value);
    }

    /// <summary>Consumer only: the writer failed for this event; it is counted as a sink failure, not written.</summary>
    public bool IsFailed(int index) => _failed[index];

    public void MarkFailed(int index) => _failed[index] = true;

    public void MarkAllFailed() => Array.Fill(_failed, true, 0, _events.Count);

    /// <summary>Consumer only: the events of the batch not marked failed yet.</summary>
    public List<LogEvent> UnfailedEvents()
    {
        var events = new List<LogEvent>();
        for (var i = 0; i < _events.Count; i++) if (!_failed[i]) events.Add(_events[i]);
        return events;
    }

    /// <summary>Consumer only: takes up to <paramref name="max"/> events from the queue. False once fenced.</summary>
    public bool TryTakeFrom(EventQueue queue, int max, out int taken)
    {
        lock (_lock)
        {
            taken = 0;
            if (_state == (int)BatchOwnership.Fenced) return false;
            taken = queue.TakeBatch(_events, max);
            if (taken > 0)
            {
                _index = 0;

                // Only the first 'taken' marks are read for this batch; clearing the rest would cost a full
                // batchSizeLimit-sized memset per batch, which under light load means per event.
                Array.Clear(_failed, 0, taken);
                Volatile.Write(ref _state, (int)BatchOwnership.Held);
            }

            return true;
        }
    }

    /// <summary>Consumer only: counts the batch written, less its failed events. False if it was taken over meanwhile.</summary>
    public bool TryFinish()
    {
        lock (_lock)
        {
            if (_state == (int)BatchOwnership.Fenced) return false;
            long failed = 0;
            for (var i = 0; i < _events.Count; i++) if (_failed[i]) failed++;
            _counters.AddWritten(_events.Count - failed);
            if (failed > 0) _counters.AddDropped(DropReason.SinkFailure, failed);
            _events.Clear();
            Volatile.Write(ref _state, (int)BatchOwnership.Empty);
            AssertInvariants();
            return true;
        }
    }

    /// <summary>
    /// Fences the consumer for good and takes over what it still holds: events its writer already accepted are
    /// counted (written or failed); the rest is returned, to be written by a successor or counted as dropped.
    /// Safe while the consumer thread is stuck inside the writer. With a writer that defers its flush, accepted
    /// but unflushed events are not written, so they are returned too.
    /// </summary>
    public List<LogEvent> TakeOver(bool writerDefersFlush)
    {
        lock (_lock)
        {
            var previous = _state;
            Volatile.Write(ref _state, (int)BatchOwnership.Fenced);
            var rest = new List<LogEvent>();
            if (previous != (int)BatchOwnership.Held) return rest;

            var done = writerDefersFlush ? 0 : Volatile.Read(ref _index);
            long written = 0, failed = 0;
            for (var i = 0; i < _events.Count; i++)
            {
                if (_failed[i]) failed++;
                else if (i < done) written++;
                else rest.Add(_events[i]);
            }

            _counters.AddWritten(written);
            if (failed > 0) _counters.AddDropped(DropReason.SinkFailure, failed);
            return rest;
        }
    }

    [Conditional("DEBUG")]
    void AssertInvariants()
    {
        Debug.Assert(_state != (int)BatchOwnership.Held || _events.Count > 0, "a held batch is not empty");
        Debug.Assert(_index <= _events.Count || _state == (int)BatchOwnership.Empty, "the write position stays inside the batch");
    }
}
