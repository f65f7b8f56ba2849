using System.Text;
using NonBlockingLog.Consumption;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Sinks.File;
using Serilog;

namespace NonBlockingLog.Files;

/// <summary>
/// The NonBlockingFile writer: Serilog.Sinks.File does the file work (paths, rolling, size limit, retention,
/// encoding); this type adds one flush per batch and makes sure an event the file sink silently discarded
/// is never counted as written.
/// </summary>
internal sealed class FileBatchWriter : FileLifecycleHooks, IBatchWriter
{
    readonly FileWriterOptions _options;
    readonly TimeProvider _time;
    ILogEventSink? _fileSink;
    BatchGatheringStream? _current;
    bool _unflushed;

    // After a failed open, the rest of the batch fails fast instead of trying to open the file once per event.
    bool _failedThisBatch;
    bool _inBatch;
    string? _currentPath;
    long _lastFlushToDisk;

    public FileBatchWriter(FileWriterOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _lastFlushToDisk = time.GetTimestamp();
        Description = $"file {options.Path}";
    }

    public string Description { get; }

    public bool DefersFlush => true;

    public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding)
    {
        _currentPath = path;
        _current = new BatchGatheringStream(underlyingStream, _options.FileSizeLimitBytes);
        return _current;
    }

    public void Write(LogEvent logEvent)
    {
        if (_failedThisBatch) throw new IOException($"{_options.Path} could not be opened earlier in this batch.");
        if (!_inBatch)
        {
            // On Linux an open file whose directory was deleted still accepts writes, into nothing anyone can
            // read. One stat per batch notices, and the file (and its directory) is opened anew.
            if (_currentPath is not null && !File.Exists(_currentPath)) Reset();
            _inBatch = true;
        }

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

        var before = _current?.BytesWritten ?? 0;
        sink.Emit(logEvent);

        // Serilog.Sinks.File swallows a failed open (the file sink becomes a null sink, and a rolling one
        // retries only at its next checkpoint, up to 30 minutes later). No open file means the event went nowhere.
        if (_current is null || _current.IsDisposed)
        {
            Reset();
            _failedThisBatch = true;
            throw new IOException($"Serilog.Sinks.File has no open file for {_options.Path}; see SelfLog for the reason.");
        }

        // It also discards, without a word, every event past fileSizeLimitBytes when it may not roll. That is
        // this event's loss alone, not an outage: no retry would help until the file rolls or is removed.
        if (_current.BytesWritten == before)
        {
            throw new InvalidOperationException($"Serilog.Sinks.File discarded the event: {_options.Path} reached fileSizeLimitBytes ({_options.FileSizeLimitBytes}) and rollOnFileSizeLimit is false.");
        }

        _unflushed = true;
    }

    public void FlushBatch()
    {
        _failedThisBatch = false;
        _inBatch = false;
        if (!_unflushed || _current is null) return;
        _current.FlushBatch();
        _unflushed = false;

        if (_options.FlushToDiskInterval is { } interval && _time.GetElapsedTime(_lastFlushToDisk) >= interval)
        {
            (_fileSink as IFlushableFileSink)?.FlushToDisk();
            _lastFlushToDisk = _time.GetTimestamp();
        }
    }

    public void Recover() => Reset();

    public void Dispose() => Reset();

    ILogEventSink Open()
    {
        return LoggerSinkConfiguration.CreateSink(to => to.File(
                _options.Formatter,
                _options.Path,
                fileSizeLimitBytes: _options.FileSizeLimitBytes,
                buffered: false,
                rollingInterval: _options.RollingInterval,
                rollOnFileSizeLimit: _options.RollOnFileSizeLimit,
                retainedFileCountLimit: _options.RetainedFileCountLimit,
                encoding: _options.Encoding,
                hooks: this));
    }

    void Reset()
    {
        var sink = _fileSink;
        _fileSink = null;
        _current = null;
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
