using System.Diagnostics;
using Serilog.Debugging;
using Serilog.Events;

namespace NonBlockingLog.Sinks.NonBlockingLog;

/// <summary>
/// Drains the queue on its own dedicated thread (a starved thread pool must not stop logging): takes what is
/// available up to the batch limit, writes it, flushes once, and sleeps when the queue is empty.
/// </summary>
internal sealed class Consumer
{
    const int Idle = 0, Writing = 1, Abandoned = 2;

    readonly EventQueue _queue;
    readonly IBatchWriter _writer;
    readonly Counters _counters;
    readonly DropNotice _notice;
    readonly int _batchSizeLimit;
    readonly Thread _thread;
    readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Guards _state and _batch between this consumer and a thread that abandons it (shutdown timeout): the
    // consumer reads from the queue only while holding it, so the abandoning thread may safely drain.
    readonly object _ownership = new();
    int _state;
    readonly List<LogEvent> _batch;

    public Consumer(string name, EventQueue queue, IBatchWriter writer, Counters counters, DropNotice notice, int batchSizeLimit)
    {
        _queue = queue;
        _writer = writer;
        _counters = counters;
        _notice = notice;
        _batchSizeLimit = batchSizeLimit;
        _batch = new List<LogEvent>(Math.Min(batchSizeLimit, 4096));
        _thread = new Thread(Run) { IsBackground = true, Name = $"NonBlockingLog consumer ({name})" };
    }

    /// <summary>Completes when the consumer thread has ended, normally or not.</summary>
    public Task Exited => _exited.Task;

    /// <summary>Events taken from the queue but not yet accounted as written or dropped.</summary>
    public int InFlight => Volatile.Read(ref _state) == Writing ? Volatile.Read(ref _inFlight) : 0;
    int _inFlight;

    /// <summary>The exception that ended the consumer, if one did.</summary>
    public Exception? Fault { get; private set; }

    public void Start() => _thread.Start();

    void Run()
    {
        try
        {
            while (TryTakeBatch(out var taken))
            {
                if (taken == 0)
                {
                    if (_queue.IsDrained) break;
                    WriteNoticeIfDue(force: false);
                    _queue.WaitForEvents(_notice.TimeUntilDue());
                    continue;
                }

                var (written, failed) = WriteBatch();
                if (!TryFinishBatch(written, failed)) return;
                WriteNoticeIfDue(force: false);
            }

            // At this point: the queue is completed and empty, or this consumer was abandoned (then it
            // returned above without touching the writer again). Report what was dropped, if anything.
            if (Volatile.Read(ref _state) != Abandoned) WriteNoticeIfDue(force: true);
        }
        catch (Exception ex)
        {
            Fault = ex;
            SelfLog.WriteLine("{0} ended with an unhandled error: {1}", typeof(Consumer), ex);
        }
        finally
        {
            _exited.TrySetResult();
        }
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
                _inFlight = taken;
                Volatile.Write(ref _state, Writing);
            }

            return true;
        }
    }

    (long Written, long Failed) WriteBatch()
    {
        long written = 0, failed = 0;
        foreach (var logEvent in _batch)
        {
            // Fenced: once abandoned, this consumer never writes again.
            if (Volatile.Read(ref _state) == Abandoned) break;
            try
            {
                _writer.Write(logEvent);
                written++;
            }
            catch (Exception ex)
            {
                failed++;
                SelfLog.WriteLine("{0} failed writing an event to {1}: {2}", typeof(Consumer), _writer.Description, ex);
            }
        }

        try
        {
            _writer.FlushBatch();
        }
        catch (Exception ex)
        {
            // Not known to have reached the operating system: count them lost rather than written.
            failed += written;
            written = 0;
            SelfLog.WriteLine("{0} failed flushing a batch to {1}: {2}", typeof(Consumer), _writer.Description, ex);
        }

        return (written, failed);
    }

    bool TryFinishBatch(long written, long failed)
    {
        lock (_ownership)
        {
            // Abandoned meanwhile: the abandoning thread already counted this whole batch.
            if (_state == Abandoned) return false;
            _counters.AddWritten(written);
            if (failed > 0) _counters.AddDropped(DropReason.SinkFailure, failed);
            _batch.Clear();
            _inFlight = 0;
            Volatile.Write(ref _state, Idle);
            AssertInvariants();
            return true;
        }
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
            SelfLog.WriteLine("{0} failed writing a drop notice to {1}: {2}", typeof(Consumer), _writer.Description, ex);
        }
    }

    /// <summary>
    /// Fences this consumer for good and counts everything it still owns, and everything still queued, as
    /// dropped for <paramref name="reason"/>. Safe while the consumer thread is stuck inside the writer.
    /// Returns the number of events counted.
    /// </summary>
    public long Abandon(DropReason reason)
    {
        lock (_ownership)
        {
            var previous = _state;
            Volatile.Write(ref _state, Abandoned);
            long lost = previous == Writing ? _inFlight : 0;
            var drained = new List<LogEvent>();
            int taken;
            while ((taken = _queue.TakeBatch(drained, 4096)) > 0)
            {
                lost += taken;
                drained.Clear();
            }

            if (lost > 0) _counters.AddDropped(reason, lost);
            _queue.Wake();
            return lost;
        }
    }

    [Conditional("DEBUG")]
    void AssertInvariants()
    {
        Debug.Assert(_state != Writing || _inFlight == _batch.Count, "a batch being written is the in-flight batch");
        Debug.Assert(_batch.Count <= _batchSizeLimit, "a batch never exceeds the batch size limit");
    }
}
