namespace NonBlockingLog.Benchmarks.Support;

/// <summary>The calling thread's processor time, from /proc/thread-self/stat (Linux; zero elsewhere).</summary>
internal static class ThreadCpu
{
    static readonly double SecondsPerTick = 1.0 / 100; // USER_HZ, 100 on Linux

    public static TimeSpan Current()
    {
        try
        {
            var stat = File.ReadAllText("/proc/thread-self/stat");

            // The fields after the command name (in parentheses, which may hold spaces): utime and stime are the
            // 12th and 13th of them.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return TimeSpan.FromSeconds((long.Parse(fields[11]) + long.Parse(fields[12])) * SecondsPerTick);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
        catch (UnauthorizedAccessException)
        {
            return TimeSpan.Zero;
        }
    }
}
