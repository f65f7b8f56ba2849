using System.Diagnostics;
using NonBlockingLog.Accounting;
using NonBlockingLog.Drills;
using NonBlockingLog.Queueing;
using NonBlockingLog.Supervision;
using Serilog.Debugging;
using Serilog.Events;

namespace NonBlockingLog.Consumption;

/// <summary>
/// One generation of the queue's reader, on its own dedicated thread (a starved thread pool must not stop
/// logging): takes what is available up to the batch limit, writes it, flushes once, and sleeps when the queue
/// is empty. The <see cref="Supervisor"/> replaces it when it faults or stalls; a replaced consumer is fenced
/// and never writes again.
/// </summary>
internal sealed class Consumer
{
    const int Idle = 0, Writing = 1, Abandoned = 2;

    readonly EventQueue _queue;
    readonly IBatchWriter _writer;
    readonly Counters _counters;
    readonly DropNotice _notice;
    readonly Supervisor _owner;
    readonly TimeProvider _time;
    readonly int _batchSizeLimit;
    readonly Action<LogEvent>? _beforeBatch;
    readonly FaultDrills _drills;
    readonly Thread _thread;
    readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly ManualResetEventSlim _retry = new(false, spinCount: 0);

    // Guards _state, _batch and _failedAt between this consumer and a thread that takes its batch over
    // (shutdown timeout, stall). The consumer reads the queue only while holding it, so a single reader remains.
    readonly object _ownership = new();
    int _state;
    readonly List<LogEvent> _batch;
    bool[] _failedAt;

    // Written by the consumer thread, read by the supervisor.
    int _index;
    long _progress;
    int _phase;
    long _phaseChanges;

    // Written by whoever observes a phase change first (the watchdog or a snapshot), not by the consumer.
    long _observedPhaseChanges;
    long _phaseSince;
    long _retryDue;
    int _backoffAttempt;

    public Consumer(ConsumerSettings settings, IBatchWriter writer, IReadOnlyList<LogEvent>? carriedOver)
    {
        _queue = settings.Queue;
        _writer = writer;
        _counters = settings.Counters;
        _notice = settings.Notice;
        _owner = settings.Owner;
        _time = settings.Time;
        _batchSizeLimit = settings.BatchSizeLimit;
        _beforeBatch = settings.BeforeBatch;
        _drills = settings.Drills;
        _batch = new List<LogEvent>(Math.Min(_batchSizeLimit, 4096));
        _failedAt = new bool[Math.Max(_batchSizeLimit, carriedOver?.Count ?? 0)];
        _phaseSince = _time.GetTimestamp();
        if (carriedOver is { Count: > 0 })
        {
            // An accepted event is never lost to a crash or stall: the predecessor's unwritten batch comes first.
            _batch.AddRange(carriedOver);
            _state = Writing;
        }

        _thread = new Thread(Run) { IsBackground = true, Name = $"NonBlockingLog consumer ({settings.Name})" };
    }

    public Task Exited => _exited.Task;

    /// <summary>The error that ended the loop; set after the loop has let go of its batch for good.</summary>
    public Exception? Fault
    {
        get => Volatile.Read(ref _fault);
        private set => Volatile.Write(ref _fault, value);
    }

    Exception? _fault;

    public IBatchWriter Writer => _writer;

    /// <summary>Moves each time an event is written or failed, or a batch is taken.</summary>
    public long Progress => Volatile.Read(ref _progress);

    public ConsumerPhase Phase => (ConsumerPhase)Volatile.Read(ref _phase);

    /// <summary>When the current phase was first observed (by the watchdog, every 100 ms, or a snapshot).</summary>
    public long PhaseSince
    {
        get
        {
            ObservePhase();
            return Volatile.Read(ref _phaseSince);
        }
    }

    /// <summary>
    /// Stamps the current phase with the time if it changed since the last look. The consumer changes phase
    /// three times a batch, and a batch is often a single event: reading the clock there cost more than the
    /// rest of the loop (a profile showed clock_gettime at 18% of all CPU), so the time is taken by observers.
    /// </summary>
    public void ObservePhase()
    {
        var changes = Volatile.Read(ref _phaseChanges);
        var seen = Volatile.Read(ref _observedPhaseChanges);
        if (changes != seen && Interlocked.CompareExchange(ref _observedPhaseChanges, changes, seen) == seen)
            Volatile.Write(ref _phaseSince, _time.GetTimestamp());
    }

    /// <summary>Events taken from the queue but not yet accounted as written or dropped.</summary>
    public int InFlight
    {
        get
        {
            lock (_ownership) return _state == Writing ? _batch.Count : 0;
        }
    }

    public bool IsAbandoned => Volatile.Read(ref _state) == Abandoned;

    public void Start() => _thread.Start();

    /// <summary>Supervisor: retries now if a backoff is due.</summary>
    public void RetryIfDue()
    {
        if (Phase == ConsumerPhase.BackingOff && _time.GetTimestamp() >= Volatile.Read(ref _retryDue)) _retry.Set();
    }

    void Run()
    {
        try
        {
            if (Volatile.Read(ref _state) == Writing)
            {
                BeforeBatch();
                if (!WriteBatch()) return;
            }

            while (TryTakeBatch(out var taken))
            {
                if (taken == 0)
                {
                    if (_queue.IsDrained) break;
                    WriteNoticeIfDue(force: false);
                    SetPhase(ConsumerPhase.Waiting);
                    _queue.WaitForEvents(_notice.TimeUntilDue());
                    continue;
                }

                BeforeBatch();
                if (!WriteBatch()) return;
                WriteNoticeIfDue(force: false);
            }

            // At this point: the queue is completed and empty, or this consumer was fenced (then it returned
            // without touching the writer again). Report what was dropped, if anything.
            if (!IsAbandoned) WriteNoticeIfDue(force: true);
        }
        catch (Exception ex)
        {
            Fault = ex;
            SelfLog.WriteLine("{0} ended with an unhandled error; the supervisor will restart it: {1}", typeof(Consumer), ex);
        }
        finally
        {
            // The supervisor hears first, so whoever awaits Exited sees the state it set.
            _owner.OnConsumerExited(this);
            _exited.TrySetResult();
        }
    }

    void BeforeBatch()
    {
        _beforeBatch?.Invoke(_batch[0]);
        _drills.BeforeBatch();
    }

    bool TryTakeBatch(out int taken)
    {
        lock (_ownership)
        {
            taken = 0;
            if (_state == Abandoned) return false;
            taken = _queue.TakeBatch(_batch, _batchSizeLimit);
            if (taken > 0)
            {
                _index = 0;

                // Only the first 'taken' marks are read for this batch; clearing the rest would cost a full
                // batchSizeLimit-sized memset per batch, which under light load means per event.
                Array.Clear(_failedAt, 0, taken);
                Volatile.Write(ref _state, Writing);
                Volatile.Write(ref _progress, _progress + 1);
            }

            return true;
        }
    }

    /// <summary>Writes the in-flight batch, retrying after I/O outages. False when fenced.</summary>
    bool WriteBatch()
    {
        var started = SinkMetrics.IsBatchDurationEnabled ? _time.GetTimestamp() : 0;
        while (true)
        {
            SetPhase(ConsumerPhase.Writing);
            if (!TryWriteFromIndex(out var outage))
            {
                return false;
            }

            if (outage is null)
            {
                SetPhase(ConsumerPhase.Flushing);
                try
                {
                    _writer.FlushBatch();
                }
                catch (Exception ex) when (IsOutage(ex))
                {
                    // Not known to have reached the file: write the whole batch again after recovery.
                    Volatile.Write(ref _index, 0);
                    outage = ex;
                }
                catch (Exception ex)
                {
                    SelfLog.WriteLine("{0} failed flushing a batch to {1}: {2}", typeof(Consumer), _writer.Description, ex);
                    _owner.RecordError(ex);
                    MarkAllFailed();
                }
            }

            if (outage is null) break;
            if (!BackOff(outage)) return false;
        }

        _backoffAttempt = 0;
        if (started != 0) SinkMetrics.RecordBatchDuration(_owner.Name, _time.GetElapsedTime(started));
        return TryFinishBatch();
    }

    bool TryWriteFromIndex(out Exception? outage)
    {
        outage = null;
        var anyFailed = false;
        for (var i = Volatile.Read(ref _index); i < _batch.Count; i++)
        {
            // Fenced: once taken over, this consumer never writes again.
            if (IsAbandoned) return false;
            if (_failedAt[i])
            {
                Volatile.Write(ref _index, i + 1);
                continue;
            }

            try
            {
                _drills.BeforeWrite();
                if (IsAbandoned) return false; // a drilled stall ended after this consumer was replaced
                _writer.Write(_batch[i]);
            }
            catch (Exception ex) when (IsOutage(ex))
            {
                // A writer that buffers may have lost earlier events of this batch with the failed write (a
                // file stream's buffer dropped on recovery): write the whole batch again, at least once.
                if (_writer.DefersFlush) Volatile.Write(ref _index, 0);
                outage = ex;
                return true;
            }
            catch (Exception ex)
            {
                // One bad event (a formatting bug, a sink's own error) loses only itself. SelfLog hears of the
                // first failure of a batch; the counters have them all.
                _failedAt[i] = true;
                if (!anyFailed) SelfLog.WriteLine("{0} failed writing an event to {1}: {2}", typeof(Consumer), _writer.Description, ex);
                anyFailed = true;
                _owner.RecordError(ex);
            }

            Volatile.Write(ref _index, i + 1);
            Volatile.Write(ref _progress, _progress + 1);
        }

        return true;
    }

    // I/O errors are the destination's (a full disk, a deleted directory, a lost share): wait and retry.
    static bool IsOutage(Exception ex) => ex is IOException or UnauthorizedAccessException;

    bool BackOff(Exception outage)
    {
        _backoffAttempt++;
        var delay = RestartPolicy.Delay(_backoffAttempt, Random.Shared.NextDouble());
        SelfLog.WriteLine("{0} could not write to {1}; retrying ({2})",
            typeof(Consumer), _writer.Description, $"attempt {_backoffAttempt}, next in {delay}: {outage.Message}");
        _owner.RecordError(outage);
        try
        {
            _writer.Recover();
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("{0} failed recovering {1}: {2}", typeof(Consumer), _writer.Description, ex);
        }

        _retry.Reset();
        Volatile.Write(ref _retryDue, _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency));
        SetPhase(ConsumerPhase.BackingOff);
        _owner.OnBackingOff();
        _retry.Wait();
        return !IsAbandoned;
    }

    void MarkAllFailed()
    {
        for (var i = 0; i < _batch.Count; i++) _failedAt[i] = true;
    }

    bool TryFinishBatch()
    {
        lock (_ownership)
        {
            // Taken over meanwhile: the other thread accounted for this batch.
            if (_state == Abandoned) return false;
            long failed = 0;
            for (var i = 0; i < _batch.Count; i++) if (_failedAt[i]) failed++;
            _counters.AddWritten(_batch.Count - failed);
            if (failed > 0) _counters.AddDropped(DropReason.SinkFailure, failed);
            _batch.Clear();
            Volatile.Write(ref _state, Idle);
            AssertInvariants();
        }

        _owner.OnProgress(this);
        return true;
    }

    void WriteNoticeIfDue(bool force)
    {
        if (_notice.TakeDue(force) is not { } notice) return;
        try
        {
            _writer.Write(notice);
            _writer.FlushBatch();
            _counters.AddNotice();
        }
        catch (Exception ex)
        {
            // Best effort: the drops stay counted; the notice alone is lost. End the batch all the same, so
            // the writer starts the next one clean.
            SelfLog.WriteLine("{0} failed writing a drop notice to {1}: {2}", typeof(Consumer), _writer.Description, ex);
            try
            {
                _writer.FlushBatch();
            }
            catch (Exception)
            {
                // Already reported above; the next batch meets the same error and handles it.
            }
        }
    }

    void SetPhase(ConsumerPhase phase)
    {
        if (Volatile.Read(ref _phase) == (int)phase) return;
        Volatile.Write(ref _phase, (int)phase);
        Volatile.Write(ref _phaseChanges, _phaseChanges + 1);
    }

    /// <summary>
    /// Fences this consumer for good and takes over what it still owns: events its writer already accepted are
    /// counted (written or failed); the rest of its batch is returned, to be written by a successor or counted
    /// as dropped. Safe while the consumer thread is stuck inside the writer.
    /// </summary>
    public List<LogEvent> TakeOver()
    {
        lock (_ownership)
        {
            var previous = _state;
            Volatile.Write(ref _state, Abandoned);
            _retry.Set();
            var rest = new List<LogEvent>();
            if (previous != Writing) return rest;

            // With a writer that defers flushing, accepted-but-unflushed events are not written: send them again.
            var done = _writer.DefersFlush ? 0 : Volatile.Read(ref _index);
            long written = 0, failed = 0;
            for (var i = 0; i < _batch.Count; i++)
            {
                if (_failedAt[i]) failed++;
                else if (i < done) written++;
                else rest.Add(_batch[i]);
            }

            _counters.AddWritten(written);
            if (failed > 0) _counters.AddDropped(DropReason.SinkFailure, failed);
            return rest;
        }
    }

    /// <summary>Takes everything still queued (shutdown only, after <see cref="TakeOver"/>).</summary>
    public long DrainQueue()
    {
        lock (_ownership)
        {
            var drained = new List<LogEvent>();
            long count = 0;
            int taken;
            while ((taken = _queue.TakeBatch(drained, 4096)) > 0)
            {
                count += taken;
                drained.Clear();
            }

            return count;
        }
    }

    [Conditional("DEBUG")]
    void AssertInvariants()
    {
        Debug.Assert(_state != Writing || _batch.Count > 0, "a batch being written is not empty");
        Debug.Assert(_index <= _batch.Count || _state == Idle, "the write position stays inside the batch");
    }
}
