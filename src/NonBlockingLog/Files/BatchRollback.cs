namespace NonBlockingLog.Files;

/// <summary>
/// Remembers, for every file the current batch has written to, the file's length when the batch began. After an
/// I/O outage the batch is written again from its first event, so the files are first cut back to those lengths:
/// whatever part of the failed batch reached a file (a 64 KB pass-down, a write the disk cut short) goes, and no
/// event is in a file twice, nor any line torn. Consumer thread only.
/// </summary>
internal sealed class BatchRollback
{
    readonly Dictionary<string, long> _lengths = new(StringComparer.Ordinal);

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

    /// <summary>
    /// Cuts every file the failed batch touched back to its length at the batch's start. A file that is gone (deleted
    /// with its directory) needs nothing. Throws <see cref="IOException"/> if a file cannot be cut back yet; what was
    /// done stays done, and the next attempt tries the rest.
    /// </summary>
    public void Apply()
    {
        if (!IsPending) return;
        foreach (var (path, length) in _lengths.ToArray())
        {
            try
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                if (file.Length > length) file.SetLength(length);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
            }

            _lengths.Remove(path);
        }

        IsPending = false;
    }
}
