using System.Globalization;

namespace NonBlockingLog.Stress.Support;

/// <summary>
/// Processor time of this process's threads whose name starts with a prefix, from /proc (Linux only): how much the
/// sink's own threads (the consumer and the watchdog, both named "NonBlockingLog ...") used, apart from the callers.
/// </summary>
internal static class ThreadCpu
{
    // Linux keeps the first 15 bytes of a thread's name.
    const int NameLimit = 15;

    // The kernel's clock tick for utime and stime; 100 a second on every Linux that .NET runs on.
    const double TicksPerSecond = 100;

    /// <summary>The threads' user plus system time so far, or null where /proc cannot tell.</summary>
    public static TimeSpan? Of(string namePrefix)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc/self/task")) return null;
        var prefix = namePrefix.Length > NameLimit ? namePrefix[..NameLimit] : namePrefix;
        long ticks = 0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(prefix, StringComparison.Ordinal)) continue;

                // After the name in parentheses (which may hold spaces): state is field 3; utime and stime are 14 and 15.
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The thread ended between listing and reading; its time is gone with it.
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
