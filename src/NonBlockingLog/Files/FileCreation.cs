using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using Serilog;
using Serilog.Debugging;
using Serilog.Sinks.File;

namespace NonBlockingLog.Files;

/// <summary>
/// Creates the files of a NonBlockingFile sink with its fileMode before Serilog.Sinks.File opens them, on Unix.
/// Serilog.Sinks.File creates a missing file with the process's default permissions (0644 under the usual umask,
/// readable by every local user), and a mode set once it is open comes too late: whoever opened the file in
/// between keeps reading it. Serilog.Sinks.File opens an existing file as it is, so this creates the file it is
/// about to open: the first, just before its sink is built (<see cref="BeforeOpen"/>, from
/// <see cref="FileOwnership"/>), and each one it rolls to, as the full or past file is closed for the roll (it
/// closes one and opens the next within one call). Which file that is follows its own rules
/// (<see cref="RolledFilePaths"/>), and the time as it reads it (DateTime.Now). A file it opens empty that was
/// not foreseen (the clock crossed a period's end between its reading and this one) is counted and reported;
/// FileBatchWriter then gives it the mode at once, and a file created here instead is removed. The app's own hooks
/// run inside these.
/// </summary>
internal sealed class FileCreation : FileLifecycleHooks
{
    readonly string _path;
    readonly RollingInterval _interval;
    readonly bool _rolls;
    readonly long? _rollAtBytes;
    readonly UnixFileMode _mode;
    readonly FileLifecycleHooks? _appHooks;
    readonly Func<DateTime> _now;

    // Guards the three fields below: every writer of the sink shares this, and one abandoned after a stall may
    // still close its file while the next one opens.
    readonly object _lock = new();
    RolledFilePaths? _paths;

    // The file made ready for the next open (created here, or found), and the one created here and not opened yet.
    string? _prepared;
    string? _created;

    int _unforeseenOpens;

    /// <param name="path">The sink's path setting, as Serilog.Sinks.File is given it.</param>
    /// <param name="interval">rollingInterval.</param>
    /// <param name="fileSizeLimitBytes">fileSizeLimitBytes.</param>
    /// <param name="rollOnFileSizeLimit">rollOnFileSizeLimit.</param>
    /// <param name="mode">fileMode.</param>
    /// <param name="appHooks">The app's own hooks, or null.</param>
    /// <param name="now">Serilog.Sinks.File's clock, local time; tests pass their own.</param>
    public FileCreation(string path, RollingInterval interval, long? fileSizeLimitBytes, bool rollOnFileSizeLimit, UnixFileMode mode,
        FileLifecycleHooks? appHooks, Func<DateTime>? now = null)
    {
        _path = path;
        _interval = interval;
        _rolls = interval != RollingInterval.Infinite || rollOnFileSizeLimit;
        _rollAtBytes = rollOnFileSizeLimit ? fileSizeLimitBytes : null;
        _mode = mode;
        _appHooks = appHooks;
        _now = now ?? (() => DateTime.Now);
    }

    /// <summary>Files Serilog.Sinks.File opened empty that were not made ready for it: if it created them, they had the default permissions until FileBatchWriter set the mode.</summary>
    public int UnforeseenOpens => Volatile.Read(ref _unforeseenOpens);

    /// <summary>Before a Serilog.Sinks.File sink is built for the path: creates the file its first write opens, unless it exists.</summary>
    public void BeforeOpen()
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            if (!_rolls)
            {
                Prepare(Path.GetFullPath(_path));
                return;
            }

            // Resolved now, as the sink about to be built resolves a relative path.
            var paths = new RolledFilePaths(_path, _interval);
            lock (_lock) _paths = paths;
            Prepare(FileOfPeriod(paths, paths.PeriodOf(_now())));
        }
        catch (Exception ex)
        {
            // Serilog.Sinks.File will meet the same problem opening the file, and report it.
            SelfLog.WriteLine("{0} could not create the file for {1} with its fileMode: {2}", typeof(FileCreation), _path, ex);
        }
    }

    /// <summary>The sink is done with its files: a file created for an open that never came is removed again.</summary>
    public void ForgetUnopened()
    {
        string? unopened;
        lock (_lock)
        {
            unopened = _created;
            _created = null;
            _prepared = null;
            AssertInvariants();
        }

        if (unopened is not null) DeleteIfEmpty(unopened);
    }

    public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding)
    {
        if (!OperatingSystem.IsWindows()) Opened(Path.GetFullPath(path), underlyingStream.Length);
        var stream = _appHooks is { } hooks
            ? hooks.OnFileOpened(path, underlyingStream, encoding) ?? throw new InvalidOperationException($"The file lifecycle hook {hooks.GetType()} returned null from OnFileOpened.")
            : underlyingStream;
        return _rolls && !OperatingSystem.IsWindows() ? new FileCloseWatch(stream, () => Closing(path, underlyingStream)) : stream;
    }

    public override void OnFileDeleting(string path) => _appHooks?.OnFileDeleting(path);

    void Opened(string path, long length)
    {
        bool foreseen;
        string? unused;
        lock (_lock)
        {
            foreseen = path == _prepared;
            unused = _created != path ? _created : null;
            _created = null;
            _prepared = null;
            AssertInvariants();
        }

        // Created for an open that went to another file: gone before anyone sees it.
        if (unused is not null) DeleteIfEmpty(unused);
        if (foreseen || length > 0) return;
        Interlocked.Increment(ref _unforeseenOpens);
        SelfLog.WriteLine("{0}: Serilog.Sinks.File opened {1}, which this sink had not created with fileMode {2}; " +
            "if it created the file itself, the file had the process's default permissions until now.", typeof(FileCreation), path, Convert.ToString((int)_mode, 8));
    }

    // Inside Serilog.Sinks.File's roll (or its disposal): must not throw, or the roll fails.
    void Closing(string path, Stream underlying)
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            RolledFilePaths? paths;
            lock (_lock) paths = _paths;
            if (paths is null || !paths.TryParse(Path.GetFileName(path), out var period, out var sequence)) return;

            // As Serilog.Sinks.File decides, in this order: a new period first, then a full file.
            var now = _now();
            if (period is { } p && now >= paths.After(p)) Prepare(FileOfPeriod(paths, paths.PeriodOf(now)));
            else if (_rollAtBytes is { } limit && underlying.Length >= limit) Prepare(NextInSequence(paths, period, sequence));
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("{0} could not create the file after {1} with its fileMode: {2}", typeof(FileCreation), path, ex);
        }
    }

    // The file Serilog.Sinks.File opens for a period: the latest of it, or a new one without a sequence number.
    static string FileOfPeriod(RolledFilePaths paths, DateTime? period)
    {
        var (exists, latest) = paths.LatestOf(period);
        return paths.PathOf(period, exists ? latest : null);
    }

    // The file it rolls to from a full one: the next sequence number, or a later one that exists.
    static string NextInSequence(RolledFilePaths paths, DateTime? period, int? sequence)
    {
        var next = (sequence ?? 0) + 1;
        var (_, latest) = paths.LatestOf(period);
        return paths.PathOf(period, latest > next ? latest : next);
    }

    [UnsupportedOSPlatform("windows")]
    void Prepare(string path)
    {
        string? unused;
        lock (_lock)
        {
            unused = _created != path ? _created : null;
            if (unused is not null) _created = null;
        }

        // Made ready for an open that did not come, and another file is opened instead.
        if (unused is not null) DeleteIfEmpty(unused);

        var created = CreateIfMissing(path);
        lock (_lock)
        {
            if (created) _created = path;
            _prepared = path;
            AssertInvariants();
        }
    }

    // Inside _lock. A file created here is the one made ready, until it is opened or given up.
    [Conditional("DEBUG")]
    void AssertInvariants() => Debug.Assert(_created is null || _created == _prepared, "the file created here is the one made ready");

    [UnsupportedOSPlatform("windows")]
    bool CreateIfMissing(string path)
    {
        try
        {
            using var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite | FileShare.Delete, UnixCreateMode = _mode,
            });
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    static void DeleteIfEmpty(string path)
    {
        try
        {
            var file = new FileInfo(path);
            if (file.Exists && file.Length == 0) file.Delete();
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("{0} could not remove {1}, created for a file that was not opened: {2}", typeof(FileCreation), path, ex);
        }
    }
}
