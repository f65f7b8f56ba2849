namespace NonBlockingLog.Files;

/// <summary>
/// Remembers, for every file the current batch has written to, the file's length when the batch began. After an
/// I/O outage the batch is written again from its first event, so the files are first cut back to those lengths:
/// whatever part of the failed batch reached a file (a 64 KB pass-down, a write the disk cut short) goes, and no
/// event is in a file twice, nor any line torn. Consumer thread only, except <see cref="Disarm"/>.
/// </summary>
/// <param name="cuts">Where this sink's cuts in progress are known, so that a writer replacing this one (after a stall) does not open a file while one is under way; null when nothing replaces the writer.</param>
internal sealed class BatchRollback(FileOwnership? cuts = null)
{
    readonly Dictionary<string, long> _lengths = new(StringComparer.Ordinal);

    // Set by any thread once the writer is abandoned or disposed: a successor may be writing these files, and a
    // cut to a length from before its lines would take them away.
    int _disarmed;

    /// <summary>True while a failed batch's files still need cutting back.</summary>
    public bool IsPending { get; private set; }

    /// <summary>The batch is about to write to <paramref name="path"/>, which is <paramref name="length"/> bytes long now.</summary>
    public void Touch(string path, long length) => _lengths.TryAdd(path, length);

    /// <summary>The batch reached the operating system whole: nothing to undo.</summary>
    public void Commit()
    {
        _lengths.Clear();
        IsPending = false;
    }

    /// <summary>The batch failed; its files are cut back before it is written again.</summary>
    public void MarkFailed() => IsPending = _lengths.Count > 0;

    /// <summary>Any thread, never blocks: from now on <see cref="Apply"/> cuts nothing.</summary>
    public void Disarm() => Interlocked.Exchange(ref _disarmed, 1);

    /// <summary>
    /// Cuts every file the failed batch touched back to its length at the batch's start. A file that is gone (deleted
    /// with its directory) needs nothing. Throws <see cref="IOException"/> if a file cannot be cut back yet; what was
    /// done stays done, and the next attempt tries the rest. Does nothing once disarmed.
    /// </summary>
    public void Apply()
    {
        if (!IsPending) return;
        foreach (var (path, length) in _lengths.ToArray())
        {
            if (!TryCut(path, length)) break;
            _lengths.Remove(path);
        }

        _lengths.Clear();
        IsPending = false;
    }

    /// <summary>False if disarmed: nothing more is cut.</summary>
    bool TryCut(string path, long length)
    {
        // Announced before the disarm is read: either this cut sees the disarm, or a successor opening the file
        // sees the cut in progress (and waits it out as an outage). Every step is a full fence.
        cuts?.BeginCut();
        try
        {
            if (Volatile.Read(ref _disarmed) != 0) return false;
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            if (file.Length > length) file.SetLength(length);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
        }
        finally
        {
            cuts?.EndCut();
        }

        return true;
    }
}
