namespace NonBlockingLog.Benchmarks.Support;

/// <summary>Checks a benchmark's output file, so that a comparison that lost events fails instead of looking fast.</summary>
internal static class LogFile
{
    /// <summary>
    /// Throws unless <paramref name="path"/> holds exactly <paramref name="expectedLines"/> workload lines;
    /// returns the first line, so that a run's log shows what each peer wrote.
    /// </summary>
    public static string Verify(string path, int expectedLines)
    {
        if (!File.Exists(path)) throw new InvalidOperationException($"{path} was not written.");

        var first = File.ReadLines(path).FirstOrDefault() ?? "";
        if (!first.Contains("[INF] Request ", StringComparison.Ordinal) || !first.Contains(" served in ", StringComparison.Ordinal))
            throw new InvalidOperationException($"{path} does not start with a workload line: \"{first}\".");

        var lines = CountLines(path);
        if (lines != expectedLines)
            throw new InvalidOperationException($"{path} has {lines} lines, expected {expectedLines}: events were lost or duplicated.");
        return first;
    }

    static long CountLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        long lines = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        return lines;
    }
}
