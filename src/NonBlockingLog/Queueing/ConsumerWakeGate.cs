using System.Diagnostics;
using Serilog.Events;

namespace NonBlockingLog.Queueing;

/// <summary>
/// Where callers and the consumer meet on an empty queue. The consumer, finding nothing, looks again briefly,
/// then dozes, and only after a run of empty dozes sleeps; callers wake a dozing consumer only once
/// <see cref="WakeDepth"/> events wait, and a sleeping one with the first event. So under a steady stream callers
/// pay no kernel wake-up per event, while an idle sink costs no CPU. Never uses the thread pool.
/// </summary>
internal sealed class ConsumerWakeGate
{
    const int DozesBeforeSleep = 10;

    // Enough that a stream of an event every 20 us or more never wakes a dozing consumer before its doze ends,
    // few enough that after a hiccup (a collection, a descheduled consumer) the queue does not grow by a whole
    // batch before the consumer runs: events left waiting survive the next collection, and callers pay for that.
    const int MaxWakeDepth = 64;

    // With one processor nothing can arrive while the consumer looks again (the callers need that very
    // processor), so it dozes at once; a container limited to one CPU reports one here.
    static readonly int LookRounds = Environment.ProcessorCount > 1 ? 4 : 0;

    // The pause between looks is timed by the clock: Thread.SpinWait's length is calibrated per process and
    // varies several-fold between runs on the same machine.
    static readonly long LookIntervalTicks = Stopwatch.Frequency * 3 / 1_000_000;

    readonly BoundedRing<LogEvent> _ring;
    readonly TimeSpan _dozeInterval;
    readonly int _wakeDepth;

    // Set by a caller (or completion) to end the consumer's doze or sleep.
    readonly ManualResetEventSlim _wake = new(false, spinCount: 0);

    // A ConsumerSleep, as an int for Interlocked. Written by the consumer and by the caller that wakes it.
    int _sleep;

    // Consumer only.
    int _emptyDozes;

    public ConsumerWakeGate(BoundedRing<LogEvent> ring, int capacity, int batchSizeLimit, TimeSpan dozeInterval)
    {
        _ring = ring;
        _dozeInterval = dozeInterval;
        _wakeDepth = Math.Clamp(Math.Min(capacity / 8, batchSizeLimit), 1, MaxWakeDepth);
    }

    public ConsumerSleep State => (ConsumerSleep)Volatile.Read(ref _sleep);

    /// <summary>Events waiting that make a caller wake a dozing consumer.</summary>
    public int WakeDepth => _wakeDepth;

    /// <summary>
    /// A caller, right after its event entered the ring. The ring's successful write ends in a full fence, so the
    /// event is visible before <c>_sleep</c> is read, and the consumer publishes <c>_sleep</c> before it looks at
    /// the ring: one of the two always sees the other. Reading the depth touches the consumer's position, which
    /// does not move while it sleeps.
    /// </summary>
    public void OnEnqueued()
    {
        var sleep = Volatile.Read(ref _sleep);
        if (sleep != (int)ConsumerSleep.Awake && (sleep == (int)ConsumerSleep.Asleep || _ring.Count >= _wakeDepth)) Wake();
    }

    /// <summary>Ends any doze or sleep at once: the queue was completed.</summary>
    public void WakeForCompletion() => _wake.Set();

    // Only the caller that finds the consumer dozing or asleep pays for the kernel call.
    void Wake()
    {
        if (Interlocked.Exchange(ref _sleep, (int)ConsumerSleep.Awake) != (int)ConsumerSleep.Awake) _wake.Set();
    }

    /// <summary>
    /// Consumer only, on an empty ring. Right after writing it looks again a few times over a few microseconds;
    /// then it dozes until <see cref="WakeDepth"/> events wait or the doze interval passes; after a run of empty
    /// dozes it sleeps until the first event. Completion and <paramref name="timeout"/> (a drop notice falling due)
    /// end any of these waits.
    /// </summary>
    public void Wait(TimeSpan timeout)
    {
        // Under a steady stream the ring empties every few events, and a consumer that then slept would make
        // callers pay a kernel wake-up every few events. The looks do not touch the ring in between: polling it in
        // a tight spin keeps pulling the slots callers are writing into this core's cache, which callers pay for.
        if (_emptyDozes == 0)
        {
            for (var round = 0; round < LookRounds; round++)
            {
                var lookAt = Stopwatch.GetTimestamp() + LookIntervalTicks;
                do Thread.SpinWait(10);
                while (Stopwatch.GetTimestamp() < lookAt);
                if (_ring.HasReadyItem() || _ring.IsCompletedAndEmpty) return;
            }
        }

        // Dozing rather than sleeping: a stream too slow for the looks above would still cost its callers a kernel
        // wake-up per event. A doze costs callers nothing until WakeDepth events wait, and an event waits at most
        // the doze interval before it is written. Only an idle ring puts the consumer to sleep, and then one caller
        // pays to wake it.
        var asleep = _emptyDozes >= DozesBeforeSleep;
        Interlocked.Exchange(ref _sleep, (int)(asleep ? ConsumerSleep.Asleep : ConsumerSleep.Dozing));
        try
        {
            if (_ring.IsCompletedAndEmpty) return;
            if (asleep ? _ring.HasReadyItem() : _ring.Count >= _wakeDepth) return;
            if (!asleep && (timeout == Timeout.InfiniteTimeSpan || timeout > _dozeInterval)) timeout = _dozeInterval;
            _wake.Wait(timeout);
        }
        finally
        {
            Volatile.Write(ref _sleep, (int)ConsumerSleep.Awake);
            _wake.Reset();
            if (_ring.HasReadyItem()) _emptyDozes = 0;
            else if (_emptyDozes < DozesBeforeSleep) _emptyDozes++;
        }
    }
}
