using System.Diagnostics;
using NonBlockingLog.Accounting;
using NonBlockingLog.Consumption;
using NonBlockingLog.Drills;
using NonBlockingLog.Flooding;
using NonBlockingLog.Queueing;
using NonBlockingLog.Settings;
using Serilog.Debugging;

namespace NonBlockingLog.Supervision;

/// <summary>
/// Owns the consumer's lifecycle. Restarts a consumer that died (after a <see cref="RestartSchedule"/> backoff,
/// cause <c>fault</c>); detects a consumer that makes no progress while work is pending and has it replaced on a
/// new destination (<see cref="StallRecovery"/>, cause <c>stall</c>); and tells callers whether waiting for room
/// makes sense (the circuit breaker). Time-driven work happens in <see cref="CheckOnce"/>, which the shared
/// <see cref="Watchdog"/> calls periodically and tests call directly after advancing a fake clock.
/// </summary>
internal sealed class Supervisor
{
    readonly NonBlockingSinkOptions _options;
    readonly EventQueue _queue;
    readonly Counters _counters;
    readonly FailureReporter _failures;
    readonly ConsumerSettings _settings;
    readonly StallDetector _stalls;
    readonly StallRecovery _recovery;
    readonly FloodGuard _floods;
    readonly long _createdAt;

    // Guards the lifecycle below. Only state changes happen under it: never a call out (a writer, SelfLog, the
    // failure listener, a pulse of waiting callers, a thread start), which is decided inside and made after.
    readonly object _lock = new();
    readonly RestartSchedule _restarts = new();
    Consumer _current;
    volatile SinkState _state = SinkState.Running;
    bool _shuttingDown;
    bool _recovering;

    // Completed (outside the lock) each time _current is replaced, and swapped for a fresh one with it.
    TaskCompletionSource _replaced = NewReplacedSignal();

    // One look at a time at the queue's depth, whose bookkeeping is not thread-safe; a look that finds another
    // under way skips it (the watchdog looks again a period later) rather than waiting.
    int _looking;

    long _faultRestarts;
    long _stallRestarts;
    long _stallCount;
    volatile ErrorRecord? _lastError;

    public Supervisor(NonBlockingSinkOptions options, EventQueue queue, Counters counters, FailureReporter failures, NoticeWriter notices,
        FloodGuard floods, IBatchWriter firstWriter, Func<IBatchWriter> writerFactory)
    {
        _options = options;
        _floods = floods;
        _queue = queue;
        _counters = counters;
        _failures = failures;
        _createdAt = options.TimeProvider.GetTimestamp();
        _stalls = new StallDetector(options.StallTimeout);
        _recovery = new StallRecovery(this, writerFactory);
        Drills = new FaultDrills(options.BeforeBatch);
        _settings = new ConsumerSettings
        {
            Name = options.Name,
            Queue = queue,
            Counters = counters,
            Failures = failures,
            Notices = notices,
            Owner = this,
            Time = options.TimeProvider,
            BatchSizeLimit = options.BatchSizeLimit,
            Drills = Drills,
        };
        _current = new Consumer(_settings, firstWriter, carriedOver: null);
    }

    public string Name => _options.Name;

    public FaultDrills Drills { get; }

    public Consumer Current => Volatile.Read(ref _current);

    /// <summary>Completes when <see cref="Current"/> is replaced (a restart, a stall recovery). Read it before Current.</summary>
    public Task Replaced => Volatile.Read(ref _replaced).Task;

    public SinkState State => _state;

    public long FaultRestarts => Interlocked.Read(ref _faultRestarts);

    public long StallRestarts => Interlocked.Read(ref _stallRestarts);

    public long Stalls => Interlocked.Read(ref _stallCount);

    public ErrorRecord? LastError => _lastError;

    /// <summary>The time of the consumer's last observed progress.</summary>
    public DateTimeOffset LastProgress
    {
        get
        {
            lock (_lock)
            {
                var ago = Now() - _stalls.LastProgressAt;
                return _options.TimeProvider.GetUtcNow() - ago;
            }
        }
    }

    /// <summary>The circuit breaker: callers in Wait mode wait for room only while this is true.</summary>
    public bool IsAcceptingWaits => _state == SinkState.Running && Current.Phase != ConsumerPhase.BackingOff;

    public void Start()
    {
        Current.Start();
        if (_options.UseWatchdog) Watchdog.Register(this);
    }

    public void RecordError(Exception ex) => _lastError = new ErrorRecord(ex, _options.TimeProvider.GetUtcNow());

    /// <summary>Consumer: a batch completed. Closes the breaker after a restart.</summary>
    public void OnProgress(Consumer consumer)
    {
        if (_state == SinkState.Running) return;
        lock (_lock)
        {
            if (consumer != _current || _state is SinkState.Stopped or SinkState.Running) return;
            _state = SinkState.Running;
            _restarts.OnRecovered();
        }

        _queue.PulseRoomWaiters();
    }

    /// <summary>Consumer: it is backing off after an I/O error; waiting callers stop waiting.</summary>
    public void OnBackingOff() => _queue.PulseRoomWaiters();

    /// <summary>Consumer: its thread ended. A fault opens the breaker at once; the restart waits for CheckOnce.</summary>
    public void OnConsumerExited(Consumer consumer)
    {
        // A fenced consumer's error is no news: its batch and its place went to another.
        if (consumer.Fault is null || consumer.IsFenced) return;
        RecordError(consumer.Fault);
        _failures.Temporary("the consumer ended with an error; it is restarted and its batch written again", events: null, consumer.Fault);
        lock (_lock)
        {
            if (consumer != _current || _state == SinkState.Stopped) return;
            _state = SinkState.Faulted;
        }

        _queue.PulseRoomWaiters();
        Watchdog.Nudge();
    }

    /// <summary>
    /// One supervision step: move the flood guard to the current window, restart a dead consumer when its backoff
    /// is due, recover a stalled one, retry a backoff. The watchdog passes <paramref name="recoverInline"/> = false, so that building a new destination
    /// runs on a thread of its own and never holds up the other sinks.
    /// </summary>
    public void CheckOnce(bool recoverInline = true)
    {
        _floods.Advance();
        if (_state == SinkState.Stopped) return;
        Look();

        Consumer? stalled = null, retry = null;
        Consumer? successor = null;
        TaskCompletionSource? replaced = null;
        string? report = null;
        lock (_lock)
        {
            if (_state == SinkState.Stopped) return;
            var consumer = _current;
            var now = Now();

            // Fault is set once the consumer's loop has ended for good (its thread only reports and exits), so
            // its batch can be taken over even if Exited has not completed yet.
            if (consumer.Fault is not null)
            {
                successor = RestartAfterFaultIfDue(consumer, now, out replaced);
            }
            else if (!_shuttingDown && !_recovering && consumer.Phase != ConsumerPhase.BackingOff &&
                     _stalls.Observe(consumer.Progress, HasPendingWork(consumer), now))
            {
                stalled = consumer;
                report = DescribeStall(consumer, now);
                _stallCount++;
                _recovering = true;
                _state = SinkState.Stalled;
            }
            else
            {
                retry = consumer;
            }
        }

        // At this point: the decision is made and recorded; what it sets going happens outside the lock.
        retry?.RetryIfDue();
        if (successor is not null) StartReplacement(successor, replaced!);
        if (stalled is null) return;
        SelfLog.WriteLine("{0}: {1}", typeof(Supervisor), report);
        _failures.Temporary(report!, events: null, exception: null);
        _queue.PulseRoomWaiters();
        _recovery.Start(stalled, recoverInline);
    }

    // The periodic observations: when drops and phase changes happened, and whether the queue has stayed deep.
    // Each is thread-safe but the depth, hence the guard; none needs the lifecycle lock.
    void Look()
    {
        _counters.ObserveDrops();
        Current.ObservePhase();
        if (Interlocked.CompareExchange(ref _looking, 1, 0) != 0) return;
        try
        {
            _queue.ObserveDepth();
        }
        finally
        {
            Volatile.Write(ref _looking, 0);
        }
    }

    // Under _lock. Returns the successor to start (after the lock) once the restart is due.
    Consumer? RestartAfterFaultIfDue(Consumer dead, TimeSpan now, out TaskCompletionSource? replaced)
    {
        replaced = null;
        if (_state != SinkState.Restarting)
        {
            _restarts.Schedule(now, Random.Shared.NextDouble());
            _state = SinkState.Restarting;
        }

        if (_shuttingDown) _restarts.Expedite(now);
        if (!_restarts.IsDue(now)) return null;

        // The dead consumer's loop has ended, so taking its batch over cannot race with it; its writer goes on
        // with the successor, which recovers it first.
        var carried = dead.TakeOver();
        _restarts.OnRestarted();
        Interlocked.Increment(ref _faultRestarts);
        _stalls.Reset(now);
        return Replace(new Consumer(_settings, dead.Writer, carried, recoverWriterFirst: true), out replaced);
    }

    /// <summary>Stall recovery built a new destination: fences <paramref name="stalled"/> and starts a fresh consumer on it. False if the sink moved on meanwhile.</summary>
    public bool TryReplaceStalled(Consumer stalled, IBatchWriter writer)
    {
        Consumer successor;
        TaskCompletionSource replaced;
        lock (_lock)
        {
            _recovering = false;
            if (_current != stalled || _state == SinkState.Stopped) return false;

            var carried = stalled.TakeOver();
            Interlocked.Increment(ref _stallRestarts);
            _state = SinkState.Restarting;
            _stalls.Reset(Now());
            successor = Replace(new Consumer(_settings, writer, carried), out replaced);
        }

        // Before the successor can write: the stalled consumer, still inside its writer perhaps, may do nothing
        // more to the destination (a file writer would cut the successor's lines away on its next recovery).
        stalled.LetGo();
        StartReplacement(successor, replaced);
        return true;
    }

    // Under _lock.
    Consumer Replace(Consumer successor, out TaskCompletionSource replaced)
    {
        _current = successor;
        replaced = _replaced;
        _replaced = NewReplacedSignal();

        // A successor during shutdown retries an outage at once, as its predecessor was told to.
        if (_shuttingDown) successor.RetryNowForShutdown();
        return successor;
    }

    static void StartReplacement(Consumer successor, TaskCompletionSource replaced)
    {
        successor.Start();
        replaced.TrySetResult();
    }

    static TaskCompletionSource NewReplacedSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stall recovery could not build a new destination: the stalled consumer keeps it, and gets a full stall timeout again.</summary>
    public void OnRecoveryFailed(Exception error)
    {
        RecordError(error);
        lock (_lock)
        {
            _recovering = false;
            _stalls.Reset(Now());
        }
    }

    /// <summary>Shutdown: no more backoff before restarts, no stall recovery; a dead consumer is restarted at once to drain.</summary>
    public void BeginShutdown()
    {
        lock (_lock) _shuttingDown = true;
        Current.RetryNowForShutdown();
        CheckOnce();
    }

    /// <summary>
    /// Shutdown, once the queue is completed: waits until the current consumer has drained it and ended, following
    /// every replacement (a crashed consumer restarted at once, a stall recovery that was under way when shutdown
    /// began), until <paramref name="deadline"/> (a <see cref="Stopwatch"/> timestamp). Returns the consumer that
    /// drained the queue, and the sink is stopped then; null if the deadline came first. With
    /// <paramref name="synchronous"/> it blocks and never awaits, so it needs no thread pool.
    /// </summary>
    public async ValueTask<Consumer?> WaitUntilDrainedAsync(long deadline, bool synchronous)
    {
        while (true)
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero) return null;

            // Replaced first: a replacement after this read ends the wait below, so that the wait never stays on
            // a consumer that was fenced (hung, perhaps) while its successor drains the queue.
            var replaced = Replaced;
            var consumer = Current;
            if (synchronous) Task.WaitAny([consumer.Exited, replaced], left);
            else await ((Task)Task.WhenAny(consumer.Exited, replaced).WaitAsync(left)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!consumer.Exited.IsCompleted) continue;

            // A consumer that ended cleanly has drained the completed queue; one that crashed has not, and is
            // restarted at once during shutdown.
            if (consumer.Fault is null && !consumer.IsFenced && TryStop(consumer)) return consumer;
            CheckOnce();
        }
    }

    // Stops the sink if the consumer that drained the queue is still the current one (a stall recovery may have
    // replaced it meanwhile: then its successor is waited for).
    bool TryStop(Consumer drained)
    {
        lock (_lock)
        {
            if (_current != drained) return false;
            _state = SinkState.Stopped;
        }

        Watchdog.Unregister(this);
        return true;
    }

    /// <summary>
    /// Shutdown timed out: fence the consumer, count everything it had and everything queued as dropped, and
    /// dispose its writer without waiting (it may be hung inside it). Returns the number of events counted.
    /// </summary>
    public long Abandon(DropReason reason)
    {
        Consumer consumer;
        lock (_lock)
        {
            consumer = _current;
            _state = SinkState.Stopped;
        }

        // Fenced first: from here on no consumer reads the queue, nor changes anything in its destination.
        var lost = consumer.TakeOver();
        consumer.LetGo();
        _queue.DiscardAll(lost);
        if (lost.Count > 0) _counters.AddDropped(reason, lost.Count);
        Watchdog.Unregister(this);
        _failures.Dropped(reason, lost, exception: null);
        WriterDisposal.InBackground(consumer.Writer);
        return lost.Count;
    }

    bool HasPendingWork(Consumer consumer) => consumer.InFlight > 0 || _queue.Count > 0;

    string DescribeStall(Consumer consumer, TimeSpan now)
    {
        var inPhase = _options.TimeProvider.GetElapsedTime(consumer.PhaseSince);
        return $"sink {Name} stalled: no progress for {now - _stalls.LastProgressAt} with {_queue.Count} queued and " +
               $"{consumer.InFlight} in flight; the consumer has been {consumer.Phase} for {inPhase} in {consumer.Writer.Description}. " +
               "Fencing it and restarting on a new destination.";
    }

    TimeSpan Now() => _options.TimeProvider.GetElapsedTime(_createdAt);
}
