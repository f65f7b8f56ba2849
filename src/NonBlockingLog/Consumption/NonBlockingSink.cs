using System.Diagnostics;
using System.Runtime.CompilerServices;
using NonBlockingLog.Accounting;
using NonBlockingLog.Flooding;
using NonBlockingLog.Queueing;
using NonBlockingLog.Settings;
using NonBlockingLog.Supervision;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;

namespace NonBlockingLog.Consumption;

/// <summary>
/// The sink callers see. Emit asks the <see cref="FloodGuard"/> and then only tries to enqueue, keeping the
/// <see cref="LevelReserve"/>; everything slow happens on the consumer's thread, which the <see cref="Supervisor"/>
/// keeps alive. Emit never throws, never blocks in the drop modes, and blocks at most WaitTimeout in Wait mode,
/// and not at all while the consumer is unavailable.
/// </summary>
/// <remarks>
/// It implements ISetLoggingFailureListener, IDisposable and IAsyncDisposable itself, so that Serilog never wraps
/// it in a forwarding sink (which would dispose the destination a second time), and it filters by level itself
/// rather than through Serilog's RestrictedSink, which would hide the failure listener and DisposeAsync.
/// </remarks>
internal sealed class NonBlockingSink : ILogEventSink, IDisposable, IAsyncDisposable, ISetLoggingFailureListener, INonBlockingLogInspector
{
    readonly NonBlockingSinkOptions _options;
    readonly EventQueue _queue;
    readonly LevelReserve _reserve;
    readonly FloodGuard _floods;
    readonly Supervisor _supervisor;
    readonly FailureReporter _failures;
    readonly Func<bool> _mayWait;
    readonly Func<int> _lowLevelLimit;
    readonly LoggingLevelSwitch? _levelSwitch;
    readonly LogEventLevel _minimumLevel;

    // Swapped whole by UpdatePolicy; Emit reads it once.
    volatile QueuePolicy _policy;

    // Serializes UpdatePolicy's read-change-write, so that two reloads at once never undo each other's change.
    // Callers never take it.
    readonly object _policyLock = new();

    // Guards shutdown only: the first disposer does the work, later ones wait for it.
    readonly object _shutdownLock = new();
    volatile bool _shutdownSignaled;
    readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="options">The validated settings.</param>
    /// <param name="writerFactory">Builds the destination: once now, and again after each stall.</param>
    public NonBlockingSink(NonBlockingSinkOptions options, Func<FailureReporter, IBatchWriter> writerFactory)
    {
        _options = options;
        _levelSwitch = options.LevelSwitch;
        _minimumLevel = options.MinimumLevel;
        _failures = new FailureReporter { Sender = this };
        Counters = new Counters(options.TimeProvider);
        _queue = new EventQueue(options.Capacity, options.BatchSizeLimit, options.DozeInterval, Counters, _failures, options.QueueSizeLimitBytes);
        _reserve = new LevelReserve(_queue);
        _floods = new FloodGuard(options.TimeProvider);
        _policy = QueuePolicy.From(options);
        _queue.ReservedForWarnings = _policy.ReservedForWarnings;
        var notices = new NoticeWriter(
            new DropNotice(options.Name, Counters, options.TimeProvider, options.DropNoticeInterval),
            new FloodSummaries(options.Name, _floods, () => _policy.FloodLimit), Counters);

        // Claim the name before building the destination: a second live sink of the same name is a configuration
        // error, and the destination (a file, the wrapped sinks) is then never built.
        SinkRegistry.Reserve(options.Name);
        IBatchWriter writer;
        try
        {
            writer = writerFactory(_failures);
        }
        catch
        {
            SinkRegistry.Release(null, options.Name);
            throw;
        }

        _supervisor = new Supervisor(options, _queue, Counters, _failures, notices, _floods, writer, () => writerFactory(_failures));
        _mayWait = () => !_shutdownSignaled && _supervisor.IsAcceptingWaits;
        _lowLevelLimit = () => _policy.LowLevelLimit;
        SinkRegistry.Publish(this);
        _supervisor.Start();
    }

    public string Name => _options.Name;

    internal Counters Counters { get; }

    internal long QueueDepth => _queue.Count;

    internal long Enqueued => _queue.Enqueued;

    internal Supervisor Supervisor => _supervisor;

    internal EventQueue Queue => _queue;

    internal FloodGuard Floods => _floods;

    internal QueuePolicy Policy => _policy;

    public void Emit(LogEvent logEvent)
    {
        if (logEvent is null || logEvent.Level < (_levelSwitch is { } levelSwitch ? levelSwitch.MinimumLevel : _minimumLevel)) return;

        var policy = _policy;
        if (policy.FloodLimit != 0 && !_floods.TryAdmit(logEvent.MessageTemplate, policy.FloodLimit))
        {
            // Not told to the failure listener: a fallback sink would receive the whole flood.
            Counters.AddDropped(DropReason.FloodLimit);
            return;
        }

        var overSizeLimit = false;
        if ((logEvent.Level >= LogEventLevel.Warning || policy.LowLevelLimit == int.MaxValue || _reserve.IsSurelyBelow(policy.LowLevelLimit))
            && _queue.TryEnqueue(logEvent, out overSizeLimit)) return;
        EmitSlow(logEvent, policy, overSizeLimit);
    }

    /// <summary>Serilog's failure listener (Fallible, FallbackChain, the app's): it hears of every dropped event.</summary>
    public void SetFailureListener(ILoggingFailureListener failureListener)
    {
        ArgumentNullException.ThrowIfNull(failureListener);
        _failures.SetListener(failureListener);
    }

    // Kept out of Emit so that the common path stays small and allocation-free.
    [MethodImpl(MethodImplOptions.NoInlining)]
    void EmitSlow(LogEvent logEvent, QueuePolicy policy, bool overSizeLimit)
    {
        try
        {
            if (TryEnqueueSlow(logEvent, policy, overSizeLimit) is not { } reason) return;
            Counters.AddDropped(reason);
            _failures.Dropped(reason, logEvent);
        }
        catch (Exception ex)
        {
            // Nothing reaches the caller; a drop that failed to be counted would break the accounting, so say so.
            SelfLog.WriteLine("{0} failed accepting an event: {1}", typeof(NonBlockingSink), ex);
        }
    }

    /// <summary>Enqueues, or says why not.</summary>
    DropReason? TryEnqueueSlow(LogEvent logEvent, QueuePolicy policy, bool overSizeLimit)
    {
        var keepsReserve = policy.LowLevelLimit != int.MaxValue && logEvent.Level < LogEventLevel.Warning;
        if (keepsReserve)
        {
            // Emit's bound was not tight enough, or the queue really stands at the limit.
            if (_reserve.HasRoom(policy.LowLevelLimit))
            {
                if (_queue.TryEnqueue(logEvent, out overSizeLimit)) return null;
            }
            else if (policy.FullMode != QueueFullMode.Wait)
            {
                return DropReason.LevelReserve;
            }

            if (policy.FullMode == QueueFullMode.Wait)
            {
                // Wait mode waits for room below the reserve as it waits for room at all: the reserve must not
                // turn events that would have waited into drops. Refused below the reserve's bound (the steady
                // depth, the byte limit), it waits here too, so that it keeps the reserve once let in.
                if (_shutdownSignaled) return DropReason.Disposed;
                if (!_supervisor.IsAcceptingWaits) return DropReason.ConsumerUnavailable;
                if (_reserve.WaitForRoom(logEvent, _lowLevelLimit, policy.WaitTimeout, _mayWait)) return null;
                return WaitFailure();
            }
        }

        if (_shutdownSignaled) return DropReason.Disposed;

        // Too large for the bytes left: evicting ordinary events would not make room for it. Wait mode waits for
        // the bytes as for a slot.
        if (overSizeLimit && policy.FullMode != QueueFullMode.Wait) return DropReason.MemoryLimit;

        if (policy.FullMode == QueueFullMode.DropOldest)
        {
            // An event below Warning refused below the reserve's bound (the queue stands at its steady depth, or,
            // rarely, callers racing past the bound filled it) is dropped itself, as in DropNewest. Evicting would
            // take the oldest event, which may be a warning or an error the reserve is there to keep; evicting only
            // events of its level or lower would mean taking from the middle of the ring, which gives up only its
            // oldest. Warning and above still evict, and so does every event while the reserve is off.
            if (!keepsReserve && _queue.TryEnqueueEvicting(logEvent)) return null;
            return _shutdownSignaled ? DropReason.Disposed : DropReason.QueueFull;
        }

        if (policy.FullMode == QueueFullMode.DropNewest) return DropReason.QueueFull;

        // The circuit breaker: waiting for a consumer that is not there costs every caller the full timeout.
        if (!_supervisor.IsAcceptingWaits) return DropReason.ConsumerUnavailable;
        if (_queue.TryEnqueueWaiting(logEvent, policy.WaitTimeout, _mayWait)) return null;
        return WaitFailure();
    }

    DropReason WaitFailure() =>
        _shutdownSignaled ? DropReason.Disposed
        : !_supervisor.IsAcceptingWaits ? DropReason.ConsumerUnavailable
        : DropReason.WaitTimeout;

    /// <summary>Changes fullMode, waitTimeout, reservedForWarnings and floodLimit of the running sink (validated as at configuration).</summary>
    public void UpdatePolicy(QueueFullMode? fullMode, TimeSpan? waitTimeout, int? reservedForWarnings, int? floodLimit = null)
    {
        lock (_policyLock)
        {
            var current = _policy;
            var next = current.With(fullMode, waitTimeout, reservedForWarnings, floodLimit);
            _policy = next;

            // The watchdog's copy for the steady depth; written under the lock, so that it ends as the last policy has it.
            _queue.ReservedForWarnings = next.ReservedForWarnings;

            // Templates suppressed under the old limit are judged by the new one from the next event.
            if (next.FloodLimit != current.FloodLimit) _floods.ResetSuppression();
        }

        // Callers already waiting under the old policy look again.
        _queue.PulseRoomWaiters();
    }

    public NonBlockingLogSnapshot GetSnapshot()
    {
        // Read the consumer's progress before the queue: an event moving from queue to written between the two
        // reads is then counted in neither, never in both.
        var written = Counters.Written;
        var dropped = Counters.DroppedByReason();
        var consumer = _supervisor.Current;
        var inFlight = consumer.InFlight;
        var depth = _queue.Count;
        var byReason = new Dictionary<DropReason, long>(dropped.Length);
        for (var i = 0; i < dropped.Length; i++) byReason[(DropReason)i] = dropped[i];
        var time = _options.TimeProvider;
        var error = _supervisor.LastError;
        var policy = _policy;

        return new NonBlockingLogSnapshot
        {
            Name = Name,
            State = _stopped.Task.IsCompleted ? SinkState.Stopped : _supervisor.State,
            Phase = consumer.Phase,
            PhaseSince = time.GetUtcNow() - time.GetElapsedTime(consumer.PhaseSince),
            LastProgress = _supervisor.LastProgress,
            LastError = error?.Error.Message,
            LastErrorAt = error?.At,
            Capacity = _options.Capacity,
            FullMode = policy.FullMode,
            WaitTimeout = policy.WaitTimeout,
            ReservedForWarnings = policy.ReservedForWarnings,
            FloodLimit = policy.FloodLimit,
            FloodingTemplates = FloodReport.Describe(_floods),
            LastDropAt = Counters.LastDropAt,
            QueueDepth = depth,
            QueueSizeLimitBytes = _options.QueueSizeLimitBytes,
            QueuedBytes = _queue.QueuedBytes,
            InFlight = inFlight,
            Enqueued = _queue.Enqueued,
            Written = written,
            DroppedByReason = byReason,
            DropNotices = Counters.Notices,
            FaultRestarts = _supervisor.FaultRestarts,
            StallRestarts = _supervisor.StallRestarts,
            Stalls = _supervisor.Stalls,
        };
    }

    public void Dispose() => StopAsync(synchronous: true).AsTask().GetAwaiter().GetResult();

    public ValueTask DisposeAsync() => StopAsync(synchronous: false);

    /// <summary>
    /// The one shutdown path behind Dispose and DisposeAsync. With <paramref name="synchronous"/> it blocks and
    /// never awaits, so the returned task is already complete and Dispose does not depend on the thread pool.
    /// </summary>
    async ValueTask StopAsync(bool synchronous)
    {
        if (!SignalShutdown())
        {
            // Another thread is shutting the sink down; wait for it, within the same bound.
            if (synchronous) _stopped.Task.Wait(_options.ShutdownTimeout);
            else await _stopped.Task.WaitAsync(_options.ShutdownTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return;
        }

        // Timed by Stopwatch, not the wall clock, which can jump, nor the sink's TimeProvider, which tests stop.
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.ShutdownTimeout.TotalSeconds * Stopwatch.Frequency);
        var drainedBy = await _supervisor.WaitUntilDrainedAsync(deadline, synchronous).ConfigureAwait(false);

        // At this point: the queue is completed, so no event can be accepted any more; either a consumer has
        // drained everything and ended (drainedBy), or the current one is still inside the writer, stuck or slow,
        // or dead. Either way the writer's disposal is bounded by the same deadline.
        if (drainedBy is not null)
        {
            await WriterDisposal.WithinAsync(drainedBy.Writer, deadline, synchronous).ConfigureAwait(false);
        }
        else
        {
            var lost = _supervisor.Abandon(DropReason.ShutdownTimeout);
            SelfLog.WriteLine("{0}: the queue did not drain within {1}; {2} events counted as dropped (shutdown_timeout)",
                $"{typeof(NonBlockingSink)} {Name}", _options.ShutdownTimeout, lost);
        }

        SinkRegistry.Release(this, Name);
        _stopped.TrySetResult();
    }

    bool SignalShutdown()
    {
        lock (_shutdownLock)
        {
            if (_shutdownSignaled) return false;
            _shutdownSignaled = true;
        }

        _queue.Complete();
        _supervisor.BeginShutdown();
        return true;
    }
}
