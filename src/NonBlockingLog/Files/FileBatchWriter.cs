using NonBlockingLog.Accounting;
using NonBlockingLog.Consumption;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Files;

/// <summary>
/// The NonBlockingFile writer: Serilog.Sinks.File does the file work (paths, rolling, size limit, retention,
/// encoding); this type adds one flush per batch, turns a file that cannot be opened into an outage (retried),
/// makes sure an event the file sink reported as not written (past the size limit) is never counted as written,
/// and keeps the files exact across outages: a failed batch is cut back out of the files before it is written
/// again (<see cref="BatchRollback"/>), and a file left with a torn last line gets a new line before the next event.
/// The sink and its open file are <see cref="CurrentFile"/>'s; who may come in, and when the writer is disposed,
/// <see cref="WriterGuard"/>'s.
/// </summary>
internal sealed class FileBatchWriter : IBatchWriter
{
    readonly FileWriterOptions _options;
    readonly TimeProvider _time;
    readonly DestinationFailures _failures;
    readonly BatchRollback _rollback;
    readonly CurrentFile _file;
    bool _unflushed;

    // After a failed open, the rest of the batch fails fast instead of trying to open the file once per event.
    bool _failedThisBatch;
    bool _inBatch;
    long _lastFlushToDisk;

    readonly FileOwnership _ownership;
    readonly WriterGuard _guard;

    public FileBatchWriter(FileWriterOptions options, TimeProvider time, FailureReporter failures, FileOwnership? ownership = null)
    {
        _options = options;
        _time = time;
        _ownership = ownership ?? new FileOwnership(options);
        _ownership.AddWriter();
        _rollback = new BatchRollback(_ownership);
        _failures = new DestinationFailures(failures);
        _file = new CurrentFile(options, _ownership, _rollback, _failures);
        _lastFlushToDisk = time.GetTimestamp();
        Description = $"file {options.Path}";
        _guard = new WriterGuard(Description, DisposeNow);
    }

    public string Description { get; }

    public bool DefersFlush => true;

    public void Write(LogEvent logEvent)
    {
        _guard.Enter();
        try
        {
            WriteInside(logEvent);
        }
        finally
        {
            _guard.Leave();
        }
    }

    void WriteInside(LogEvent logEvent)
    {
        if (_failedThisBatch) throw new IOException($"{_options.Path} could not be opened earlier in this batch.");
        if (!_inBatch) BeginBatch();

        ILogEventSink sink;
        try
        {
            sink = _file.Sink();
        }
        catch
        {
            _failedThisBatch = true;
            throw;
        }

        _failures.BeginWrite(logEvent);
        try
        {
            sink.Emit(logEvent);
        }
        catch
        {
            _failures.EndWrite(reportFailure: false);
            throw;
        }

        // Serilog.Sinks.File reports a failed open to its failure listener and carries on without a file (a
        // rolling one retries only at its next checkpoint, up to 30 minutes later). No open file means the event
        // went nowhere, and the next ones will too: an outage, retried with backoff on a file opened anew.
        if (!_file.IsOpen)
        {
            _failures.EndWrite(reportFailure: false);
            Reset();
            _failedThisBatch = true;
            throw new IOException($"Serilog.Sinks.File has no open file for {_options.Path}; see SelfLog for the reason.");
        }

        // Past fileSizeLimitBytes without rolling it reports the event as not written: that event's loss alone,
        // not an outage, since no retry would help until the file rolls or is removed.
        _failures.EndWrite();
        _unflushed = true;
    }

    void BeginBatch()
    {
        // A failed batch is cut back out of its files before it is written again; if that fails too, so does
        // this attempt (an outage, retried).
        _rollback.Apply();

        // On Linux an open file whose directory was deleted still accepts writes, into nothing anyone can
        // read. One stat per batch notices, and the file (and its directory) is opened anew.
        if (_file.IsGone) Reset();
        _file.TouchRollback();
        _inBatch = true;
    }

    public void FlushBatch()
    {
        _guard.Enter();
        try
        {
            FlushBatchInside();
        }
        finally
        {
            _guard.Leave();
        }
    }

    void FlushBatchInside()
    {
        _failedThisBatch = false;
        _inBatch = false;
        if (!_unflushed || _file.Gathering is not { } current)
        {
            _rollback.Commit();
            return;
        }

        current.FlushBatch();
        _unflushed = false;
        _rollback.Commit();

        if (_options.FlushToDiskInterval is { } interval && _time.GetElapsedTime(_lastFlushToDisk) >= interval)
        {
            _file.FlushToDisk();
            _lastFlushToDisk = _time.GetTimestamp();
        }
    }

    public void Recover()
    {
        // Abandoned, the files may hold a successor's lines past the failed batch: there is nothing to recover.
        if (!_guard.TryEnter()) return;
        try
        {
            // Nothing of the failed batch is passed down any more; what reached the files already is cut back.
            _file.Gathering?.Discard();
            _rollback.MarkFailed();
            Reset();
            try
            {
                _rollback.Apply();
            }
            catch (IOException)
            {
                // The disk is still failing: the next attempt cuts the files back first.
            }
        }
        finally
        {
            _guard.Leave();
        }
    }

    public void Abandon()
    {
        _rollback.Disarm();
        _guard.Abandon();
    }

    /// <summary>
    /// Any thread. With the consumer hung inside this writer (a stall, a shutdown timeout), the disposal happens
    /// when it leaves; it never cuts a file back (another writer may own the files by now) and keeps the bytes of
    /// an unfinished batch out of the file.
    /// </summary>
    public void Dispose()
    {
        _rollback.Disarm();
        _guard.Dispose();
    }

    void DisposeNow()
    {
        // Mid-batch (a writer abandoned after a stall or a shutdown timeout), the batch is not counted written:
        // keep its gathered bytes out of the file. One thing is beyond reach: bytes the file stream itself kept
        // after a failed write of its own are written again when it closes, at this writer's offset; for a writer
        // replaced after a stall, that is where its successor wrote the same batch again, first.
        if (_inBatch || _unflushed) _file.Gathering?.Discard();
        Reset();
        _ownership.RemoveWriter();
    }

    void Reset()
    {
        _unflushed = false;
        _inBatch = false;
        _file.Close();
    }
}
