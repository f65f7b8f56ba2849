using System.Diagnostics;
using NonBlockingLog.Accounting;
using Serilog.Events;

namespace NonBlockingLog.Queueing;

/// <summary>
/// The bounded queue between callers and the consumer, with the two waits that must never depend on the
/// thread pool: a caller waiting for room (Wait mode) and the consumer waiting for events. Channel's own
/// WaitToReadAsync/WaitToWriteAsync would resume on the pool, and a starved pool is exactly when logging
/// must keep going, so both waits use plain monitors and events here.
/// </summary>
internal sealed class EventQueue
{
    // Written by any thread calling Emit; read by the consumer, and by callers evicting in DropOldest mode.
    readonly BoundedRingChannel<LogEvent> _channel;
    readonly Counters _counters;

    // Guards callers waiting for room: the consumer pulses it after taking events.
    readonly object _roomLock = new();
    int _roomWaiters;

    // DropOldest: attempts to make room before the new event is dropped instead (see TryEnqueueEvicting).
    const int EvictionRounds = 4;

    // With one processor nothing can arrive while the consumer looks again (the callers need that very
    // processor), so it dozes at once; a container limited to one CPU reports one here.
    static readonly int SpinRounds = Environment.ProcessorCount > 1 ? 4 : 0;
    static readonly long LookIntervalTicks = Stopwatch.Frequency * 3 / 1_000_000;

    // How the consumer waits for events, as callers see it. Dozing: it sleeps at most DozeInterval and callers
    // wake it only once WakeDepth events are waiting. Asleep: after DozesBeforeSleep dozes that found nothing, it
    // sleeps until the first event, and that event's caller wakes it.
    public const int Awake = 0, Dozing = 1, Asleep = 2;
    const int DozesBeforeSleep = 10;

    // Enough that a stream of an event every 20 us or more never wakes a dozing consumer before its doze ends,
    // few enough that after a hiccup (a collection, a descheduled consumer) the queue does not grow by a whole
    // batch before the consumer runs: events left waiting survive the next collection, and callers pay for that.
    const int MaxWakeDepth = 64;
    readonly TimeSpan _dozeInterval;

    // Set by a caller (or completion) to end the consumer's doze or sleep.
    readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    readonly int _wakeDepth;
    int _consumerSleep;
    int _emptyDozes; // consumer only

    public EventQueue(int capacity, int batchSizeLimit, TimeSpan dozeInterval, Counters counters)
    {
        _counters = counters;
        _dozeInterval = dozeInterval;
        _wakeDepth = Math.Clamp(Math.Min(capacity / 8, batchSizeLimit), 1, MaxWakeDepth);

        // TryWrite fails when full in every mode; DropOldest evicts in TryEnqueueEvicting rather than in the
        // channel, so that fullMode can change while the sink runs. Callers that evict are readers too.
        _channel = new BoundedRingChannel<LogEvent>(capacity);
    }

    /// <summary>How the consumer waits now: <see cref="Awake"/>, <see cref="Dozing"/> or <see cref="Asleep"/>.</summary>
    public int ConsumerSleep => Volatile.Read(ref _consumerSleep);

    /// <summary>Events waiting that make a caller wake a dozing consumer.</summary>
    public int WakeDepth => _wakeDepth;

    /// <summary>Events ever accepted into the queue (exact).</summary>
    public long Enqueued => _channel.Written;

    /// <summary>Events in the queue now (not counting a batch the consumer has taken).</summary>
    public int Count => _channel.Reader.Count;

    /// <summary>True once the queue is completed and empty: the consumer may end.</summary>
    public bool IsDrained => _channel.Reader.Completion.IsCompleted;

    public bool TryEnqueue(LogEvent logEvent)
    {
        // A successful TryWrite ends in a full fence (its compare-and-swap): the event is visible before we read
        // _consumerSleep, and the consumer publishes _consumerSleep before it looks at the queue, so one of the
        // two always sees the other. Reading the depth touches the consumer's position, which does not move
        // while it sleeps.
        if (!_channel.Writer.TryWrite(logEvent)) return false;
        var sleep = Volatile.Read(ref _consumerSleep);
        if (sleep != Awake && (sleep == Asleep || _channel.Reader.Count >= _wakeDepth)) Wake();
        return true;
    }

    // Only the caller that finds the consumer dozing or asleep pays for the kernel call. (A caller waiting for room
    // needs no wake of its own: a full queue is past WakeDepth, so whoever filled it woke the consumer.)
    void Wake()
    {
        if (Interlocked.Exchange(ref _consumerSleep, Awake) != Awake) _wake.Set();
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
            if (_channel.Reader.TryRead(out _)) _counters.AddDropped(DropReason.QueueFull);
            if (TryEnqueue(logEvent)) return true;
        }

        return false;
    }

    /// <summary>Waits for room up to <paramref name="timeout"/> (real time: this blocks a real thread).</summary>
    public bool TryEnqueueWaiting(LogEvent logEvent, TimeSpan timeout, Func<bool> mayWait)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        Interlocked.Increment(ref _roomWaiters);
        try
        {
            lock (_roomLock)
            {
                while (true)
                {
                    if (TryEnqueue(logEvent)) return true;
                    if (!mayWait()) return false;
                    var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                    if (remaining <= TimeSpan.Zero) return false;
                    Monitor.Wait(_roomLock, remaining);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _roomWaiters);
        }
    }

    /// <summary>Consumer only: moves up to <paramref name="max"/> events into <paramref name="batch"/>.</summary>
    public int TakeBatch(List<LogEvent> batch, int max)
    {
        var reader = _channel.Reader;
        var taken = 0;
        while (taken < max && reader.TryRead(out var e))
        {
            batch.Add(e);
            taken++;
        }

        if (taken > 0)
        {
            // Pairs with the Increment in TryEnqueueWaiting: either a waiter sees the room, or we see the waiter.
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _roomWaiters) > 0) PulseRoomWaiters();
        }

        return taken;
    }

    /// <summary>
    /// Consumer only, on an empty queue. Right after writing it looks again a few times over ~12 us; then it dozes
    /// until a batch's worth of events waits or DozeInterval passes; after DozesBeforeSleep empty dozes in a row it
    /// sleeps until the first event. The queue's completion, and <paramref name="timeout"/> (a drop notice falling
    /// due), end any of these waits.
    /// </summary>
    public void WaitForEvents(TimeSpan timeout)
    {
        // Looking again briefly: under a steady stream the queue empties every few events, and a consumer that
        // then slept made callers pay a kernel wake-up every few events (~800k futex calls per 5M events). The
        // looks are ~3 us apart and do not touch the queue in between: polling it in a tight spin kept pulling the
        // slots callers were writing into this core's cache (caller cost 235-265 ns against 155 ns for Serilog
        // alone; 170-195 ns with the pauses). The pause is timed by the clock, as Thread.SpinWait's length is
        // calibrated per process and SpinWait(100) took 3 to 14 us in different runs on the same machine.
        if (_emptyDozes == 0)
        {
            for (var round = 0; round < SpinRounds; round++)
            {
                var lookAt = Stopwatch.GetTimestamp() + LookIntervalTicks;
                do Thread.SpinWait(10);
                while (Stopwatch.GetTimestamp() < lookAt);
                if (_channel.Reader.TryPeek(out _) || IsDrained) return;
            }
        }

        // Dozing rather than sleeping: a stream too slow for the looks above (an event every 20 us or more) would
        // still cost its callers a kernel wake-up per event. A doze costs callers nothing until WakeDepth events
        // wait, and an event waits at most DozeInterval (1 ms) before it is written. Only a queue idle for
        // DozesBeforeSleep dozes puts the consumer to sleep, and then one caller pays to wake it.
        var asleep = _emptyDozes >= DozesBeforeSleep;
        Interlocked.Exchange(ref _consumerSleep, asleep ? Asleep : Dozing);
        try
        {
            if (IsDrained) return;
            if (asleep ? _channel.Reader.TryPeek(out _) : _channel.Reader.Count >= _wakeDepth) return;
            if (!asleep && (timeout == Timeout.InfiniteTimeSpan || timeout > _dozeInterval)) timeout = _dozeInterval;
            _wake.Wait(timeout);
        }
        finally
        {
            Volatile.Write(ref _consumerSleep, Awake);
            _wake.Reset();
            if (_channel.Reader.TryPeek(out _)) _emptyDozes = 0;
            else if (_emptyDozes < DozesBeforeSleep) _emptyDozes++;
        }
    }

    /// <summary>Ends the queue: later writes fail, the consumer drains what is left, waiting callers give up.</summary>
    public void Complete()
    {
        _channel.Writer.TryComplete();
        _wake.Set();
        PulseRoomWaiters();
    }

    /// <summary>Wakes callers waiting for room so that they look again (room, completion, or a closed breaker).</summary>
    public void PulseRoomWaiters()
    {
        lock (_roomLock) Monitor.PulseAll(_roomLock);
    }
}
