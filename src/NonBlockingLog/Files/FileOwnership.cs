using Serilog.Debugging;

namespace NonBlockingLog.Files;

/// <summary>
/// Makes one NonBlockingFile sink the only writer of its path, across processes. Serilog.Sinks.File opens its files
/// for shared reading, which on Unix takes a shared advisory lock only, so a second process (or a second sink) on the
/// same path would append over the first at its own offsets while both counted their events written. Here an
/// exclusive lock on a hidden file beside the log (<c>.app-.log.lock</c> for <c>app-.log</c>, covering every file it
/// rolls to) is held for the sink's life; a second writer cannot take it, treats that as an outage (retried, never
/// counted written), and says why. Owning its files, the sink also creates them, with its fileMode
/// (<see cref="FileCreation"/>). Shared by the sink's writers (a stall recovery builds a new one), and released
/// when the last of them is disposed.
/// </summary>
internal sealed class FileOwnership(FileWriterOptions options)
{
    readonly object _lock = new();
    FileStream? _held;
    int _writers;

    // Cuts (BatchRollback) under way by any of the sink's writers. Interlocked only: a cut may hang on a hung disk,
    // and nothing may wait for it.
    int _cutsInProgress;

    public string LockPath { get; } = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.Path)) ?? ".", "." + Path.GetFileName(options.Path) + ".lock");

    public void AddWriter()
    {
        lock (_lock) _writers++;
    }

    /// <summary>
    /// Before Serilog.Sinks.File is opened on the path: takes the lock if this sink does not hold it yet, then
    /// creates the file about to be opened. Throws <see cref="IOException"/> if another writer holds the lock.
    /// </summary>
    public void EnsureHeld()
    {
        lock (_lock)
        {
            if (_held is null) Take();
        }

        options.Creation.BeforeOpen();
    }

    void Take()
    {
        try
        {
            _held = OperatingSystem.IsWindows()
                ? new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)
                : new FileStream(LockPath, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None, UnixCreateMode = options.FileMode });
        }
        catch (IOException ex) when (ex is not DirectoryNotFoundException and not FileNotFoundException && File.Exists(LockPath))
        {
            throw new IOException(
                $"{options.Path} is being written by another NonBlockingFile sink (in this process or another): it holds {LockPath}. " +
                "Each sink needs a file of its own; this one retries until the other lets go.", ex);
        }
    }

    /// <summary>A writer starts cutting a file back. Always paired with <see cref="EndCut"/>.</summary>
    public void BeginCut() => Interlocked.Increment(ref _cutsInProgress);

    public void EndCut() => Interlocked.Decrement(ref _cutsInProgress);

    /// <summary>
    /// Before a writer opens the file: throws <see cref="IOException"/> (an outage, retried) while a writer is cutting
    /// a file back. A stalled writer, replaced, may have begun a cut before it was disarmed; a successor that wrote
    /// before that cut landed would lose its lines to it.
    /// </summary>
    public void EnsureNoCutInProgress()
    {
        if (Volatile.Read(ref _cutsInProgress) > 0)
            throw new IOException($"{options.Path} is being cut back by a writer this sink replaced; writing waits until that is done.");
    }

    public void RemoveWriter()
    {
        FileStream? release = null;
        lock (_lock)
        {
            if (--_writers > 0) return;
            release = _held;
            _held = null;
        }

        // While the lock is still held, so that no other sink has opened the path meanwhile.
        options.Creation.ForgetUnopened();
        try
        {
            release?.Dispose();
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("{0} failed releasing {1}: {2}", typeof(FileOwnership), LockPath, ex);
        }
    }
}
