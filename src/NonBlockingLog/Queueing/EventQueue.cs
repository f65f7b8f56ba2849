using NonBlockingLog.Accounting;
using Serilog.Events;

namespace NonBlockingLog.Queueing;

/// <summary>
/// The bounded queue between callers and the consumer: the ring, how callers enqueue (and, in DropOldest, evict;
/// in Wait, wait for room), and how the consumer takes batches and waits for events.
/// </summary>
internal sealed class EventQueue
{
    // DropOldest: attempts to make room before the new event is dropped instead (see TryEnqueueEvicting).
    const int EvictionRounds = 4;

    // Written by any thread calling Emit; read by the consumer, and by callers evicting in DropOldest mode.
    // TryWrite fails when full in every mode; DropOldest evicts in TryEnqueueEvicting rather than in the ring, so
    // that fullMode can change while the sink runs.
    readonly BoundedRing<LogEvent> _ring;
    readonly ConsumerWakeGate _wakeGate;
    readonly RoomWaiters _roomWaiters = new();
    readonly Counters _counters;
    readonly FailureReporter _failures;
    readonly Func<LogEvent, bool> _tryEnqueue;

    // Null when the queue has no byte limit: then no event is even estimated.
    readonly QueuedBytes? _bytes;

    // While the queue is under sustained overload (SteadyDepth), events below Warning are admitted only below this
    // depth; int.MaxValue otherwise, which callers test with one read of a field that changes rarely. Warning and
    // above are never held to it: when the limit begins the queue still holds the overload's events, far above the
    // steady depth, and a bound for warnings there would drop the very errors the level reserve keeps.
    readonly SteadyDepth _steadyDepth;
    volatile int _admitBelow = int.MaxValue;

    // Set (1) by a caller turned away at the steady depth, taken (0) by each look: see SteadyDepth.Observe. Written
    // only when not set yet, so that callers turned away again and again do not pull its line from core to core.
    int _turnedAway;

    public EventQueue(int capacity, int batchSizeLimit, TimeSpan dozeInterval, Counters counters, FailureReporter failures, long? sizeLimitBytes = null)
    {
        _counters = counters;
        _failures = failures;
        _bytes = sizeLimitBytes is null ? null : new QueuedBytes(sizeLimitBytes);
        _steadyDepth = new SteadyDepth(capacity, batchSizeLimit);

        // With a byte limit each event's estimate stays with it in the ring, so that it leaves as it came.
        _ring = new BoundedRing<LogEvent>(capacity, weighted: _bytes is not null);
        _wakeGate = new ConsumerWakeGate(_ring, capacity, batchSizeLimit, dozeInterval);
        _tryEnqueue = TryEnqueue;
    }

    /// <summary>How the consumer waits now.</summary>
    public ConsumerSleep ConsumerSleep => _wakeGate.State;

    /// <summary>Events waiting that make a caller wake a dozing consumer.</summary>
    public int WakeDepth => _wakeGate.WakeDepth;

    /// <summary>Events ever accepted into the queue (exact).</summary>
    public long Enqueued => _ring.Written;

    /// <summary>Events in the queue now (not counting a batch the consumer has taken).</summary>
    public int Count => _ring.Count;

    /// <summary>True once the queue is completed and empty: the consumer may end.</summary>
    public bool IsCompletedAndEmpty => _ring.IsCompletedAndEmpty;

    /// <summary>Callers waiting for room now (Wait mode).</summary>
    public int RoomWaiterCount => _roomWaiters.Count;

    /// <summary>Estimated bytes of the large events queued now (0 without a byte limit).</summary>
    public long QueuedBytes => _bytes?.Bytes ?? 0;

    public bool TryEnqueue(LogEvent logEvent) => TryEnqueue(logEvent, out _);

    /// <summary>Enqueues unless the ring is full or completed, or (<paramref name="overSizeLimit"/>) the event's bytes would pass the limit.</summary>
    public bool TryEnqueue(LogEvent logEvent, out bool overSizeLimit)
    {
        if (_admitBelow != int.MaxValue && !IsAdmittedWhileLimiting(logEvent))
        {
            if (Volatile.Read(ref _turnedAway) == 0) Volatile.Write(ref _turnedAway, 1);
            overSizeLimit = false;
            return false;
        }

        return TryEnqueueIgnoringSteadyDepth(logEvent, out overSizeLimit);
    }

    // Evicting keeps the depth where it is, so it makes no room below the steady depth: evicting callers use the
    // ring's own bound, or each of them would evict several events and then drop its own.
    bool TryEnqueueIgnoringSteadyDepth(LogEvent logEvent, out bool overSizeLimit)
    {
        overSizeLimit = false;
        var size = _bytes is null ? 0 : EventSize.OfLarge(logEvent);
        if (size != 0 && !_bytes!.TryReserve(size))
        {
            overSizeLimit = true;
            return false;
        }

        if (!_ring.TryWrite(logEvent, size))
        {
            _bytes?.Release(size);
            return false;
        }

        _wakeGate.OnEnqueued();
        return true;
    }

    bool IsAdmittedWhileLimiting(LogEvent logEvent) => logEvent.Level >= LogEventLevel.Warning || _ring.Count < _admitBelow;

    /// <summary>The policy's reserve for Warning and above (the sink sets it, and again when the policy changes).</summary>
    public int ReservedForWarnings
    {
        get => Volatile.Read(ref _reservedForWarnings);
        set => Volatile.Write(ref _reservedForWarnings, value);
    }

    int _reservedForWarnings;

    /// <summary>True while the queue admits new events below its steady depth only (sustained overload).</summary>
    public bool IsLimitingDepth => _admitBelow != int.MaxValue;

    /// <summary>The depth new events are admitted below while <see cref="IsLimitingDepth"/>.</summary>
    public int SteadyLimit => _steadyDepth.SteadyLimit;

    /// <summary>
    /// Supervisor, about every 100 ms: a look at the depth, which starts or ends the limit of <see cref="SteadyDepth"/>.
    /// While limiting, Warning and above are admitted up to capacity as ever.
    /// </summary>
    public void ObserveDepth()
    {
        var reservedForWarnings = Volatile.Read(ref _reservedForWarnings);
        var turnedAway = Interlocked.Exchange(ref _turnedAway, 0) != 0;
        if (!_steadyDepth.Observe(Count, reservedForWarnings, turnedAway)) return;
        if (_steadyDepth.IsLimiting)
        {
            _admitBelow = _steadyDepth.SteadyLimit;
        }
        else
        {
            _admitBelow = int.MaxValue;

            // Callers waiting under the limit see the room at once.
            _roomWaiters.PulseAll();
        }
    }

    /// <summary>
    /// DropOldest: makes room by taking the oldest event out and counting it dropped, then enqueues. Under heavy
    /// contention another caller may take the room first; after a few rounds the new event is dropped instead.
    /// Every event taken out or turned away is counted once.
    /// </summary>
    public bool TryEnqueueEvicting(LogEvent logEvent)
    {
        for (var round = 0; round < EvictionRounds; round++)
        {
            if (_ring.TryRead(out var evicted, out var evictedSize))
            {
                _bytes?.Release(evictedSize);
                _counters.AddDropped(DropReason.QueueFull);
                _failures.Dropped(DropReason.QueueFull, evicted);
            }

            if (TryEnqueueIgnoringSteadyDepth(logEvent, out _)) return true;
        }

        return false;
    }

    /// <summary>Wait mode: waits for room up to <paramref name="timeout"/> while <paramref name="mayWait"/> holds.</summary>
    // A caller waiting for room needs no wake of its own: a full queue is past WakeDepth, so whoever filled it
    // woke the consumer.
    public bool TryEnqueueWaiting(LogEvent logEvent, TimeSpan timeout, Func<bool> mayWait) =>
        _roomWaiters.WaitFor(_tryEnqueue, logEvent, timeout, mayWait);

    /// <summary>
    /// Wait mode, for a caller that needs more than a free slot (room below the level reserve): calls
    /// <paramref name="attempt"/> now and after each batch the consumer takes, until it succeeds, <paramref name="mayWait"/>
    /// says stop or <paramref name="timeout"/> runs out.
    /// </summary>
    public bool WaitForRoom<TState>(Func<TState, bool> attempt, TState state, TimeSpan timeout, Func<bool> mayWait) =>
        _roomWaiters.WaitFor(attempt, state, timeout, mayWait);

    /// <summary>Consumer only: moves up to <paramref name="max"/> events into <paramref name="batch"/>.</summary>
    public int TakeBatch(List<LogEvent> batch, int max)
    {
        var taken = 0;
        long size = 0;
        while (taken < max && _ring.TryRead(out var e, out var eventSize))
        {
            batch.Add(e);
            size += eventSize;
            taken++;
        }

        // Nothing is measured here: each event gives back the estimate it was counted at when it came in.
        _bytes?.Release(size);
        if (taken > 0) _roomWaiters.OnRoomMade();
        return taken;
    }

    /// <summary>Shutdown, once no consumer reads any more: takes out every event still queued and adds it to <paramref name="lost"/>.</summary>
    public void DiscardAll(List<LogEvent> lost)
    {
        while (_ring.TryRead(out var e, out var size))
        {
            _bytes?.Release(size);
            lost.Add(e);
        }
    }

    /// <summary>Consumer only, on an empty queue: see <see cref="ConsumerWakeGate.Wait"/>.</summary>
    public void WaitForEvents(TimeSpan timeout) => _wakeGate.Wait(timeout);

    /// <summary>Ends the queue: later writes fail, the consumer writes what is left, waiting callers give up.</summary>
    public void Complete()
    {
        _ring.Complete();
        _wakeGate.WakeForCompletion();
        _roomWaiters.PulseAll();
    }

    /// <summary>Wakes callers waiting for room so that they look again (room, completion, or a closed breaker).</summary>
    public void PulseRoomWaiters() => _roomWaiters.PulseAll();
}
