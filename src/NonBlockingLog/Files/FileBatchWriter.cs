using System.Text;
using NonBlockingLog.Accounting;
using NonBlockingLog.Consumption;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Sinks.File;

namespace NonBlockingLog.Files;

/// <summary>
/// The NonBlockingFile writer: Serilog.Sinks.File does the file work (paths, rolling, size limit, retention,
/// encoding); this type adds one flush per batch, turns a file that cannot be opened into an outage (retried),
/// makes sure an event the file sink reported as not written (past the size limit) is never counted as written,
/// and keeps the files exact across outages: a failed batch is cut back out of the files before it is written
/// again (<see cref="BatchRollback"/>), and a file left with a torn last line gets a new line before the next event.
/// </summary>
internal sealed class FileBatchWriter : FileLifecycleHooks, IBatchWriter
{
    readonly FileWriterOptions _options;
    readonly TimeProvider _time;
    readonly DestinationFailures _failures;
    readonly BatchRollback _rollback;
    ILogEventSink? _fileSink;
    BatchGatheringStream? _current;
    Stream? _currentFile;
    bool _unflushed;

    // After a failed open, the rest of the batch fails fast instead of trying to open the file once per event.
    bool _failedThisBatch;
    bool _inBatch;
    string? _currentPath;
    long _lastFlushToDisk;

    readonly FileOwnership _ownership;
    readonly DeferredDisposal _disposal = new();

    // Set by any thread once the consumer was fenced: a successor may be writing the same files.
    volatile bool _abandoned;

    public FileBatchWriter(FileWriterOptions options, TimeProvider time, FailureReporter failures, FileOwnership? ownership = null)
    {
        _options = options;
        _time = time;
        _ownership = ownership ?? new FileOwnership(options);
        _ownership.AddWriter();
        _rollback = new BatchRollback(_ownership);
        _failures = new DestinationFailures(failures);
        _lastFlushToDisk = time.GetTimestamp();
        Description = $"file {options.Path}";
    }

    public string Description { get; }

    public bool DefersFlush => true;

    public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding)
    {
        // A file this sink just created (or found empty) gets the configured mode before anything is written to it.
        if (underlyingStream.Length == 0 && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, _options.FileMode);
        LineStart.Ensure(path, underlyingStream, encoding);
        _rollback.Touch(path, underlyingStream.Length);
        _currentPath = path;
        _currentFile = underlyingStream;

        // The app's hooks (a header, say) see the file as it is; our gathering stream goes on top of whatever they return.
        var stream = _options.Hooks is { } hooks
            ? hooks.OnFileOpened(path, underlyingStream, encoding) ?? throw new InvalidOperationException($"The file lifecycle hook {hooks.GetType()} returned null from OnFileOpened.")
            : underlyingStream;
        _current = new BatchGatheringStream(stream, _options.FileSizeLimitBytes);
        return _current;
    }

    public override void OnFileDeleting(string path) => _options.Hooks?.OnFileDeleting(path);

    public void Write(LogEvent logEvent)
    {
        Enter();
        try
        {
            WriteInside(logEvent);
        }
        finally
        {
            Leave();
        }
    }

    void WriteInside(LogEvent logEvent)
    {
        if (_failedThisBatch) throw new IOException($"{_options.Path} could not be opened earlier in this batch.");
        if (!_inBatch) BeginBatch();

        ILogEventSink sink;
        try
        {
            sink = _fileSink ??= Open();
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
        if (_current is null || _current.IsDisposed)
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
        if (_currentPath is not null && !File.Exists(_currentPath)) Reset();
        if (_currentPath is not null && _currentFile is not null) _rollback.Touch(_currentPath, _currentFile.Length);
        _inBatch = true;
    }

    public void FlushBatch()
    {
        Enter();
        try
        {
            FlushBatchInside();
        }
        finally
        {
            Leave();
        }
    }

    void FlushBatchInside()
    {
        _failedThisBatch = false;
        _inBatch = false;
        if (!_unflushed || _current is null)
        {
            _rollback.Commit();
            return;
        }

        _current.FlushBatch();
        _unflushed = false;
        _rollback.Commit();

        if (_options.FlushToDiskInterval is { } interval && _time.GetElapsedTime(_lastFlushToDisk) >= interval)
        {
            (_fileSink as IFlushableFileSink)?.FlushToDisk();
            _lastFlushToDisk = _time.GetTimestamp();
        }
    }

    public void Recover()
    {
        // Abandoned, the files may hold a successor's lines past the failed batch: there is nothing to recover.
        if (_abandoned || !_disposal.TryEnter()) return;
        try
        {
            // Nothing of the failed batch is passed down any more; what reached the files already is cut back.
            _current?.Discard();
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
            Leave();
        }
    }

    public void Abandon()
    {
        _rollback.Disarm();
        _abandoned = true;
    }

    /// <summary>
    /// Any thread. With the consumer hung inside this writer (a stall, a shutdown timeout), the disposal happens
    /// when it leaves; it never cuts a file back (another writer may own the files by now) and keeps the bytes of
    /// an unfinished batch out of the file.
    /// </summary>
    public void Dispose()
    {
        _rollback.Disarm();
        if (_disposal.TryDisposeNow()) DisposeNow();
    }

    void DisposeNow()
    {
        // Mid-batch (a writer abandoned after a stall or a shutdown timeout), the batch is not counted written:
        // keep its gathered bytes out of the file. One thing is beyond reach: bytes the file stream itself kept
        // after a failed write of its own are written again when it closes, at this writer's offset; for a writer
        // replaced after a stall, that is where its successor wrote the same batch again, first.
        if (_inBatch || _unflushed) _current?.Discard();
        Reset();
        _ownership.RemoveWriter();
    }

    // An abandoned writer writes nothing more: its batch belongs to a successor, which may be writing the same
    // file at its own offsets.
    void Enter()
    {
        if (_abandoned || !_disposal.TryEnter()) throw new ObjectDisposedException(Description, "The writer was abandoned or disposed.");
    }

    void Leave()
    {
        if (_disposal.Leave()) DisposeNow();
    }

    ILogEventSink Open()
    {
        // Serilog.Sinks.File would create a missing folder with the default mode; this one gets the configured mode.
        if (Path.GetDirectoryName(Path.GetFullPath(_options.Path)) is { } folder && !Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
            else Directory.CreateDirectory(folder, _options.DirectoryMode);
        }

        _ownership.EnsureHeld();
        _ownership.EnsureNoCutInProgress();

        var sink = LoggerSinkConfiguration.CreateSink(to => to.File(
                _options.Formatter,
                _options.Path,
                fileSizeLimitBytes: _options.FileSizeLimitBytes,
                buffered: false,
                rollingInterval: _options.RollingInterval,
                rollOnFileSizeLimit: _options.RollOnFileSizeLimit,
                retainedFileCountLimit: _options.RetainedFileCountLimit,
                retainedFileTimeLimit: _options.RetainedFileTimeLimit,
                encoding: _options.Encoding,
                hooks: this));
        _failures.ListenTo(sink);
        return sink;
    }

    void Reset()
    {
        var sink = _fileSink;
        _fileSink = null;
        _current = null;
        _currentFile = null;
        _currentPath = null;
        _unflushed = false;
        _inBatch = false;
        try
        {
            (sink as IDisposable)?.Dispose();
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("{0} failed closing {1}: {2}", typeof(FileBatchWriter), _options.Path, ex);
        }
    }
}
