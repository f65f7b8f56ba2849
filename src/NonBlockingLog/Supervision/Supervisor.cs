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

    // Guards the lifecycle below. Never held while calling a writer or SelfLog.
    readonly object _lock = new();
    readonly RestartSchedule _restarts = new();
    Consumer _current;
    volatile SinkState _state = SinkState.Running;
    bool _shuttingDown;
    bool _recovering;

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
        if (consumer.Fault is null) return;
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
        Consumer? stalled = null;
        string? report = null;
        lock (_lock)
        {
            if (_state == SinkState.Stopped) return;
            _counters.ObserveDrops();
            _queue.ObserveDepth();
            var consumer = _current;
            consumer.ObservePhase();
            var now = Now();

            // Fault is set once the consumer's loop has ended for good (its thread only reports and exits), so
            // its batch can be taken over even if Exited has not completed yet.
            if (consumer.Fault is not null)
            {
                RestartAfterFaultIfDue(consumer, now);
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
                consumer.RetryIfDue();
            }
        }

        if (stalled is null) return;
        SelfLog.WriteLine("{0}: {1}", typeof(Supervisor), report);
        _failures.Temporary(report!, events: null, exception: null);
        _queue.PulseRoomWaiters();
        _recovery.Start(stalled, recoverInline);
    }

    // Under _lock.
    void RestartAfterFaultIfDue(Consumer dead, TimeSpan now)
    {
        if (_state != SinkState.Restarting)
        {
            _restarts.Schedule(now, Random.Shared.NextDouble());
            _state = SinkState.Restarting;
        }

        if (_shuttingDown) _restarts.Expedite(now);
        if (!_restarts.IsDue(now)) return;

        // The dead consumer's loop has ended, so taking its batch over cannot race with it.
        var carried = dead.TakeOver();
        _restarts.OnRestarted();
        Interlocked.Increment(ref _faultRestarts);
        _stalls.Reset(now);
        _current = new Consumer(_settings, dead.Writer, carried, recoverWriterFirst: true);
        if (_shuttingDown) _current.RetryNowForShutdown();
        _current.Start();
    }

    /// <summary>Stall recovery built a new destination: fences <paramref name="stalled"/> and starts a fresh consumer on it. False if the sink moved on meanwhile.</summary>
    public bool TryReplaceStalled(Consumer stalled, IBatchWriter writer)
    {
        lock (_lock)
        {
            _recovering = false;
            if (_current != stalled || _state == SinkState.Stopped) return false;

            var carried = stalled.TakeOver();
            Interlocked.Increment(ref _stallRestarts);
            _state = SinkState.Restarting;
            _stalls.Reset(Now());
            _current = new Consumer(_settings, writer, carried);
            _current.Start();
            return true;
        }
    }

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
    /// Shutdown timed out: fence the consumer and count everything it had and everything queued as dropped.
    /// Returns the number of events counted.
    /// </summary>
    public long Abandon(DropReason reason)
    {
        Consumer consumer;
        lock (_lock)
        {
            consumer = _current;
            _state = SinkState.Stopped;
        }

        // Fenced first: from here on no consumer reads the queue.
        var lost = consumer.TakeOver();
        _queue.DiscardAll(lost);
        if (lost.Count > 0) _counters.AddDropped(reason, lost.Count);
        Watchdog.Unregister(this);
        _failures.Dropped(reason, lost, exception: null);
        return lost.Count;
    }

    public void Stop()
    {
        lock (_lock) _state = SinkState.Stopped;
        Watchdog.Unregister(this);
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
