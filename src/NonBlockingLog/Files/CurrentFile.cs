using System.Text;
using NonBlockingLog.Consumption;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Sinks.File;

namespace NonBlockingLog.Files;

/// <summary>
/// The Serilog.Sinks.File sink a <see cref="FileBatchWriter"/> drives, opened when first needed, and the file it
/// has open now. As the sink's lifecycle hooks, it gives a new file the configured mode and a clean line start,
/// notes its length for the <see cref="BatchRollback"/>, and puts a <see cref="BatchGatheringStream"/> on top of it.
/// Consumer thread only.
/// </summary>
internal sealed class CurrentFile(FileWriterOptions options, FileOwnership ownership, BatchRollback rollback, DestinationFailures failures)
    : FileLifecycleHooks
{
    ILogEventSink? _fileSink;
    BatchGatheringStream? _current;
    Stream? _currentFile;
    string? _currentPath;

    /// <summary>What the sink writes through to the open file; null with no file open.</summary>
    public BatchGatheringStream? Gathering => _current;

    /// <summary>True while the sink has a file open.</summary>
    public bool IsOpen => _current is { IsDisposed: false };

    /// <summary>True if the open file was deleted from under the sink.</summary>
    public bool IsGone => _currentPath is not null && !File.Exists(_currentPath);

    public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding)
    {
        // A file this sink just created (or found empty) gets the configured mode before anything is written to it.
        if (underlyingStream.Length == 0 && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, options.FileMode);
        LineStart.Ensure(path, underlyingStream, encoding);
        rollback.Touch(path, underlyingStream.Length);
        _currentPath = path;
        _currentFile = underlyingStream;

        // The app's hooks (a header, say) see the file as it is; our gathering stream goes on top of whatever they return.
        var stream = options.Hooks is { } hooks
            ? hooks.OnFileOpened(path, underlyingStream, encoding) ?? throw new InvalidOperationException($"The file lifecycle hook {hooks.GetType()} returned null from OnFileOpened.")
            : underlyingStream;
        _current = new BatchGatheringStream(stream, options.FileSizeLimitBytes);
        return _current;
    }

    public override void OnFileDeleting(string path) => options.Hooks?.OnFileDeleting(path);

    /// <summary>The sink, opened first if need be. Throws if it cannot be opened.</summary>
    public ILogEventSink Sink() => _fileSink ??= Open();

    /// <summary>The batch is about to write to the open file, if any, as it is now.</summary>
    public void TouchRollback()
    {
        if (_currentPath is not null && _currentFile is not null) rollback.Touch(_currentPath, _currentFile.Length);
    }

    /// <summary>Forces what the open file holds to disk.</summary>
    public void FlushToDisk() => (_fileSink as IFlushableFileSink)?.FlushToDisk();

    /// <summary>Closes the sink and its file; the next <see cref="Sink"/> opens them anew.</summary>
    public void Close()
    {
        var sink = _fileSink;
        _fileSink = null;
        _current = null;
        _currentFile = null;
        _currentPath = null;
        try
        {
            (sink as IDisposable)?.Dispose();
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("{0} failed closing {1}: {2}", typeof(FileBatchWriter), options.Path, ex);
        }
    }

    ILogEventSink Open()
    {
        // Serilog.Sinks.File would create a missing folder with the default mode; this one gets the configured mode.
        if (Path.GetDirectoryName(Path.GetFullPath(options.Path)) is { } folder && !Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
            else Directory.CreateDirectory(folder, options.DirectoryMode);
        }

        ownership.EnsureHeld();
        ownership.EnsureNoCutInProgress();

        var sink = LoggerSinkConfiguration.CreateSink(to => to.File(
                options.Formatter,
                options.Path,
                fileSizeLimitBytes: options.FileSizeLimitBytes,
                buffered: false,
                rollingInterval: options.RollingInterval,
                rollOnFileSizeLimit: options.RollOnFileSizeLimit,
                retainedFileCountLimit: options.RetainedFileCountLimit,
                retainedFileTimeLimit: options.RetainedFileTimeLimit,
                encoding: options.Encoding,
                hooks: this));
        failures.ListenTo(sink);
        return sink;
    }
}
