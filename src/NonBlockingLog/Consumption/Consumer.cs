using NonBlockingLog.Accounting;
using NonBlockingLog.Drills;
using NonBlockingLog.Queueing;
using NonBlockingLog.Supervision;
using Serilog.Debugging;
using Serilog.Events;

namespace NonBlockingLog.Consumption;

/// <summary>
/// One generation of the queue's reader, on its own dedicated thread (a starved thread pool must not stop
/// logging): takes what is available up to the batch limit, writes it, flushes once, and waits when the queue is
/// empty. An I/O outage keeps the batch and retries it; an error outside the per-event handling ends the loop, and
/// the <see cref="Supervisor"/> starts a successor on the same batch. A consumer that was taken over (stall,
/// shutdown timeout) is fenced and never writes again.
/// </summary>
internal sealed class Consumer
{
    readonly EventQueue _queue;
    readonly IBatchWriter _writer;
    readonly NoticeWriter _notices;
    readonly FailureReporter _failures;
    readonly Supervisor _owner;
    readonly TimeProvider _time;
    readonly int _batchSizeLimit;
    readonly FaultDrills _drills;
    readonly InFlightBatch _batch;
    readonly PhaseTracker _phase;
    readonly OutageRetry _retry;
    readonly Thread _thread;
    readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Written by the consumer thread, read by the supervisor.
    long _progress;
    Exception? _fault;

    readonly bool _recoverWriterFirst;

    /// <param name="settings">What every generation of the sink shares.</param>
    /// <param name="writer">The destination.</param>
    /// <param name="carriedOver">The unwritten batch of the predecessor, written first.</param>
    /// <param name="recoverWriterFirst">The predecessor died in the middle of using <paramref name="writer"/>: reset it (a file cuts back what the batch had written) before writing again.</param>
    public Consumer(ConsumerSettings settings, IBatchWriter writer, IReadOnlyList<LogEvent>? carriedOver, bool recoverWriterFirst = false)
    {
        _recoverWriterFirst = recoverWriterFirst;
        _queue = settings.Queue;
        _writer = writer;
        _notices = settings.Notices;
        _failures = settings.Failures;
        _owner = settings.Owner;
        _time = settings.Time;
        _batchSizeLimit = settings.BatchSizeLimit;
        _drills = settings.Drills;
        _batch = new InFlightBatch(_batchSizeLimit, settings.Counters, carriedOver);
        _phase = new PhaseTracker(_time);
        _retry = new OutageRetry(_time);
        _thread = new Thread(Run) { IsBackground = true, Name = $"NonBlockingLog consumer ({settings.Name})" };
    }

    public Task Exited => _exited.Task;

    /// <summary>The error that ended the loop; set after the loop has let go of its batch for good.</summary>
    public Exception? Fault
    {
        get => Volatile.Read(ref _fault);
        private set => Volatile.Write(ref _fault, value);
    }

    public IBatchWriter Writer => _writer;

    /// <summary>Moves each time an event is written or failed, or a batch is taken.</summary>
    public long Progress => Volatile.Read(ref _progress);

    public ConsumerPhase Phase => _phase.Phase;

    /// <summary>When the current phase was first observed (by the watchdog, every 100 ms, or a snapshot).</summary>
    public long PhaseSince => _phase.Since;

    /// <summary>Events taken from the queue but not yet accounted as written or dropped.</summary>
    public int InFlight => _batch.Pending;

    public bool IsFenced => _batch.IsFenced;

    public void Start() => _thread.Start();

    public void ObservePhase() => _phase.Observe();

    /// <summary>Supervisor: retries now if a backoff is due.</summary>
    public void RetryIfDue()
    {
        if (Phase == ConsumerPhase.BackingOff) _retry.ReleaseIfDue();
    }

    /// <summary>Supervisor, when shutdown begins: an outage being waited out is retried at once.</summary>
    public void RetryNowForShutdown() => _retry.ReleaseForShutdown();

    /// <summary>
    /// Fences this consumer and takes over its batch: see <see cref="InFlightBatch.TakeOver"/>. A change of state
    /// only, so that the supervisor decides it under its lock; a consumer replaced on another writer, or abandoned,
    /// is then let go (<see cref="LetGo"/>) outside it.
    /// </summary>
    public List<LogEvent> TakeOver() => _batch.TakeOver(_writer.DefersFlush);

    /// <summary>
    /// After <see cref="TakeOver"/>, before a successor may write: the writer is abandoned (a successor may own its
    /// destination now, so nothing it still does may change what is there) and an outage being waited out ends, so
    /// that the fenced consumer exits.
    /// </summary>
    public void LetGo()
    {
        _writer.Abandon();
        _retry.Release();
    }

    void Run()
    {
        try
        {
            if (_recoverWriterFirst && !IsFenced) _writer.Recover();
            if (_batch.IsHeld && !WriteBatch()) return;
            while (_batch.TryTakeFrom(_queue, _batchSizeLimit, out var taken))
            {
                if (taken == 0)
                {
                    if (_queue.IsCompletedAndEmpty) break;
                    WriteNoticeIfDue(force: false);
                    _phase.Set(ConsumerPhase.Waiting);
                    _queue.WaitForEvents(_notices.TimeUntilDue());
                    continue;
                }

                Volatile.Write(ref _progress, _progress + 1);
                if (!WriteBatch()) return;
                WriteNoticeIfDue(force: false);
            }

            // At this point: the queue is completed and empty, or this consumer was fenced (then it returned
            // without touching the writer again). Report what was dropped, if anything.
            WriteNoticeIfDue(force: true);
        }
        catch (Exception ex)
        {
            Fault = ex;

            // A fenced consumer has nothing left to restart: its batch and its place belong to another.
            if (!IsFenced) SelfLog.WriteLine("{0} ended with an unhandled error; the supervisor will restart it: {1}", typeof(Consumer), ex);
        }
        finally
        {
            // The supervisor hears first, so whoever awaits Exited sees the state it set.
            _owner.OnConsumerExited(this);
            _exited.TrySetResult();
        }
    }

    void WriteNoticeIfDue(bool force)
    {
        if (!IsFenced) _notices.WriteIfDue(_writer, force);
    }

    /// <summary>
    /// Writes the held batch, retrying after I/O outages, and accounts for it. False when fenced: from the moment
    /// it is taken over, a consumer never touches its writer again (no flush, no recovery, no report), since its
    /// successor may be writing the same destination through a writer of its own.
    /// </summary>
    bool WriteBatch()
    {
        _drills.BeforeBatch(_batch.Events[0]);
        var started = SinkMetrics.IsBatchDurationEnabled ? _time.GetTimestamp() : 0;
        while (true)
        {
            _phase.Set(ConsumerPhase.Writing);
            if (!TryWriteFromIndex(out var outage) || IsFenced) return false;
            outage ??= TryFlush();

            // The flush may have hung, and failed, while this consumer was being replaced.
            if (IsFenced) return false;
            if (outage is null) break;
            if (!BackOff(outage)) return false;
        }

        _retry.Reset();
        if (started != 0) SinkMetrics.RecordBatchDuration(_owner.Name, _time.GetElapsedTime(started));
        if (!_batch.TryFinish()) return false;
        _owner.OnProgress(this);
        return true;
    }

    bool TryWriteFromIndex(out Exception? outage)
    {
        outage = null;
        var events = _batch.Events;
        var anyFailed = false;
        for (var i = _batch.Index; i < events.Count; i++)
        {
            // Fenced: once taken over, this consumer never writes again.
            if (IsFenced) return false;
            if (_batch.IsFailed(i))
            {
                _batch.Index = i + 1;
                continue;
            }

            try
            {
                _drills.BeforeWrite();
                if (IsFenced) return false; // a drilled stall ended after this consumer was replaced
                _writer.Write(events[i]);
            }
            catch (Exception ex) when (IsOutage(ex))
            {
                if (IsFenced) return false;

                // A writer that buffers may have lost earlier events of this batch with the failed write (a
                // file stream's buffer dropped on recovery): write the whole batch again.
                if (_writer.DefersFlush) _batch.Index = 0;
                outage = ex;
                return true;
            }
            catch (Exception ex)
            {
                // Taken over while inside the write: the event is the successor's now, not a failure to report.
                if (IsFenced) return false;

                // One bad event (a formatting bug, a sink's own error) loses only itself. SelfLog hears of the
                // first failure of a batch; the counters have them all.
                _batch.MarkFailed(i);
                if (!anyFailed) SelfLog.WriteLine("{0} failed writing an event to {1}: {2}", typeof(Consumer), _writer.Description, ex);
                anyFailed = true;
                _owner.RecordError(ex);
                _failures.Dropped(DropReason.SinkFailure, [events[i]], ex);
            }

            _batch.Index = i + 1;
            Volatile.Write(ref _progress, _progress + 1);
        }

        return true;
    }

    /// <summary>Ends the batch at the writer. Returns the outage that kept it from the destination, if any.</summary>
    Exception? TryFlush()
    {
        _phase.Set(ConsumerPhase.Flushing);
        try
        {
            _writer.FlushBatch();
            return null;
        }
        catch (Exception ex) when (IsOutage(ex))
        {
            // Not known to have reached the destination: write the whole batch again after recovery.
            _batch.Index = 0;
            return ex;
        }
        catch (Exception) when (IsFenced)
        {
            // Taken over meanwhile: the batch is the successor's, and so is reporting on it.
            return null;
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("{0} failed flushing a batch to {1}: {2}", typeof(Consumer), _writer.Description, ex);
            _owner.RecordError(ex);
            _failures.Dropped(DropReason.SinkFailure, _batch.UnfailedEvents(), ex);
            _batch.MarkAllFailed();
            return null;
        }
    }

    // I/O errors are the destination's (a full disk, a deleted directory, a lost share): wait and retry.
    static bool IsOutage(Exception ex) => ex is IOException or UnauthorizedAccessException;

    /// <summary>Waits out an outage before the next attempt. False when fenced meanwhile.</summary>
    bool BackOff(Exception outage)
    {
        // Recovering the writer of a fenced consumer would cut its successor's lines out of a shared file. The
        // check can still lose a race with a take-over that lands right after it: the writer was abandoned before
        // the successor started, and an abandoned writer recovers nothing.
        if (IsFenced) return false;
        var delay = _retry.Arm();
        SelfLog.WriteLine("{0} could not write to {1}; retrying ({2})",
            typeof(Consumer), _writer.Description, $"attempt {_retry.Attempt}, next in {delay}: {outage.Message}");
        _owner.RecordError(outage);
        _failures.Temporary($"could not write to {_writer.Description}; the batch is retried in {delay}", _batch.Events, outage);
        try
        {
            _writer.Recover();
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("{0} failed recovering {1}: {2}", typeof(Consumer), _writer.Description, ex);
        }

        _phase.Set(ConsumerPhase.BackingOff);
        _owner.OnBackingOff();

        // A take-over releases the wait after fencing; if it came before Arm reset the wait, the fence shows here.
        if (IsFenced) return false;
        _retry.Wait();
        return !IsFenced;
    }
}
