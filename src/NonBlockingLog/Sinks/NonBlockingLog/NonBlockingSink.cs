using System.Runtime.CompilerServices;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;

namespace NonBlockingLog.Sinks.NonBlockingLog;

/// <summary>
/// The sink callers see. Emit only tries to enqueue; everything slow happens on the consumer's thread.
/// Emit never throws, never blocks in the drop modes, and blocks at most WaitTimeout in Wait mode.
/// </summary>
internal sealed class NonBlockingSink : ILogEventSink, IDisposable, IAsyncDisposable, INonBlockingLogInspector
{
    readonly NonBlockingSinkOptions _options;
    readonly EventQueue _queue;
    readonly IBatchWriter _writer;
    readonly Consumer _consumer;
    readonly Func<bool> _mayWait;

    // Guards shutdown only: the first disposer does the work, later ones wait for it.
    readonly object _shutdownLock = new();
    volatile bool _shutdownSignaled;
    readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public NonBlockingSink(NonBlockingSinkOptions options, IBatchWriter writer)
    {
        _options = options;
        _writer = writer;
        Counters = new Counters();
        _queue = new EventQueue(options.Capacity, options.FullMode, Counters);
        var notice = new DropNotice(options.Name, Counters, options.TimeProvider, options.DropNoticeInterval);
        _consumer = new Consumer(options.Name, _queue, writer, Counters, notice, options.BatchSizeLimit);
        _mayWait = () => !_shutdownSignaled;
        SinkRegistry.Register(this);
        _consumer.Start();
    }

    public string Name => _options.Name;

    internal Counters Counters { get; }

    internal long QueueDepth => _queue.Count;

    internal Consumer Consumer => _consumer;

    public void Emit(LogEvent logEvent)
    {
        if (logEvent is not null && _queue.TryEnqueue(logEvent)) return;
        EmitSlow(logEvent);
    }

    // Kept out of Emit so that the common path stays small enough to inline and allocation-free.
    [MethodImpl(MethodImplOptions.NoInlining)]
    void EmitSlow(LogEvent? logEvent)
    {
        if (logEvent is null) return;
        try
        {
            if (!_shutdownSignaled && _options.FullMode == QueueFullMode.Wait &&
                _queue.TryEnqueueWaiting(logEvent, _options.WaitTimeout, _mayWait))
            {
                return;
            }

            // A write that failed because shutdown completed the queue counts as 'disposed', whatever the mode.
            var reason = _shutdownSignaled ? DropReason.Disposed
                : _options.FullMode == QueueFullMode.Wait ? DropReason.WaitTimeout
                : DropReason.QueueFull;
            Counters.AddDropped(reason);
        }
        catch (Exception ex)
        {
            // Nothing reaches the caller; a drop that failed to be counted would break the accounting, so say so.
            SelfLog.WriteLine("{0} failed accepting an event: {1}", typeof(NonBlockingSink), ex);
        }
    }

    public NonBlockingLogSnapshot GetSnapshot()
    {
        // Read the consumer's progress before the queue: an event moving from queue to written between the two
        // reads is then counted in neither, never in both.
        var written = Counters.Written;
        var dropped = Counters.DroppedByReason();
        var inFlight = _consumer.InFlight;
        var depth = _queue.Count;
        var byReason = new Dictionary<DropReason, long>(dropped.Length);
        for (var i = 0; i < dropped.Length; i++) byReason[(DropReason)i] = dropped[i];

        return new NonBlockingLogSnapshot
        {
            Name = Name,
            State = State,
            Capacity = _options.Capacity,
            QueueDepth = depth,
            InFlight = inFlight,
            Enqueued = Counters.Enqueued.Read(),
            Written = written,
            DroppedByReason = byReason,
            DropNotices = Counters.Notices,
        };
    }

    SinkState State =>
        _stopped.Task.IsCompleted ? SinkState.Stopped
        : _consumer.Exited.IsCompleted && !_shutdownSignaled ? SinkState.Faulted
        : SinkState.Running;

    public void Dispose()
    {
        if (!SignalShutdown())
        {
            _stopped.Task.Wait(_options.ShutdownTimeout);
            return;
        }

        bool drained;
        try
        {
            drained = _consumer.Exited.Wait(_options.ShutdownTimeout);
        }
        catch (AggregateException)
        {
            drained = true;
        }

        FinishShutdown(drained);
    }

    public async ValueTask DisposeAsync()
    {
        if (!SignalShutdown())
        {
            await _stopped.Task.WaitAsync(_options.ShutdownTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return;
        }

        await _consumer.Exited.WaitAsync(_options.ShutdownTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        FinishShutdown(_consumer.Exited.IsCompleted);
    }

    bool SignalShutdown()
    {
        lock (_shutdownLock)
        {
            if (_shutdownSignaled) return false;
            _shutdownSignaled = true;
        }

        _queue.Complete();
        return true;
    }

    void FinishShutdown(bool drained)
    {
        // At this point: the queue is completed, so no event can be accepted any more; either the consumer has
        // drained everything and ended (drained), or it is still inside the writer, stuck or slow.
        if (drained)
        {
            DisposeWriter();
        }
        else
        {
            var lost = _consumer.Abandon(DropReason.ShutdownTimeout);
            SelfLog.WriteLine("{0}: the queue did not drain within {1}; {2} events counted as dropped (shutdown_timeout)",
                $"{typeof(NonBlockingSink)} {Name}", _options.ShutdownTimeout, lost);

            // The writer may be hung; dispose it where nobody waits for it.
            ThreadPool.UnsafeQueueUserWorkItem(static sink => sink.DisposeWriter(), this, preferLocal: false);
        }

        SinkRegistry.Unregister(this);
        _stopped.TrySetResult();
    }

    void DisposeWriter()
    {
        try
        {
            _writer.Dispose();
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("{0}: disposing {1} failed: {2}", $"{typeof(NonBlockingSink)} {Name}", _writer.Description, ex);
        }
    }
}
