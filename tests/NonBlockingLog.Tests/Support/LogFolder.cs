namespace NonBlockingLog.Tests.Support;

/// <summary>The log files in a folder: everything but the hidden lock file a NonBlockingFile sink keeps beside them.</summary>
public static class LogFolder
{
    public static string[] Files(string folder) =>
        Directory.GetFiles(folder).Where(f => !IsLock(f)).Order(StringComparer.Ordinal).ToArray();

    public static bool IsLock(string path) => Path.GetFileName(path) is var name && name.StartsWith('.') && name.EndsWith(".lock", StringComparison.Ordinal);
}
