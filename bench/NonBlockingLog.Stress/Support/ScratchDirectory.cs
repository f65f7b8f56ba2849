namespace NonBlockingLog.Stress.Support;

/// <summary>
/// The one directory this run creates, under the system's temp directory, and everything it writes goes
/// inside it. Removed at the end unless asked to keep it; nothing outside it is ever deleted.
/// </summary>
internal sealed class ScratchDirectory : IDisposable
{
    readonly bool _keep;

    ScratchDirectory(string path, bool keep)
    {
        Path = path;
        _keep = keep;
    }

    public string Path { get; }

    public static ScratchDirectory Create(bool keep)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"nonblocking-stress-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(path);
        return new ScratchDirectory(path, keep);
    }

    /// <summary>A new subdirectory for one scenario.</summary>
    public string Subdirectory(string name)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes a scenario's files early when they are large (a SIGKILLed child's log).</summary>
    public void Delete(string subdirectory)
    {
        if (_keep) return;
        if (!System.IO.Path.GetFullPath(subdirectory).StartsWith(System.IO.Path.GetFullPath(Path) + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidOperationException($"{subdirectory} is not inside {Path}.");
        Directory.Delete(subdirectory, recursive: true);
    }

    public void Dispose()
    {
        if (_keep) return;
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"could not remove {Path}: {ex.Message}");
        }
    }
}
