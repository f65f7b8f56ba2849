namespace NonBlockingLog.SteadyState;

/// <summary>
/// Where a run's processor time went, by thread, read from Linux's /proc (nothing elsewhere): the producers' own
/// time (each producer reads its thread's time as it finishes, since it exits before the phase ends) and, for the
/// threads alive across the whole timed phase, theirs, grouped by name (the consumer or worker thread of each
/// contender, the collector's threads, the tiered compiler). What threads that came and went in between used is in
/// the process's total only. Times are in clock ticks of 10 ms (USER_HZ, 100 on every Linux this runs on), so a
/// figure is meaningful over a phase of seconds, not less.
/// </summary>
internal static class ThreadCpu
{
    const double NanosecondsPerTick = 10_000_000;

    /// <summary>The calling thread's processor time so far, in ns; 0 where /proc is missing.</summary>
    public static double CurrentThread() => Ticks("/proc/thread-self/stat") * NanosecondsPerTick;

    /// <summary>Each live thread's processor time so far, in ns, by thread id, with its name.</summary>
    public static Dictionary<int, (string Name, double Nanoseconds)> Snapshot()
    {
        var threads = new Dictionary<int, (string, double)>();
        if (!Directory.Exists("/proc/self/task")) return threads;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                var name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                threads[int.Parse(Path.GetFileName(task))] = (name, Ticks(Path.Combine(task, "stat")) * NanosecondsPerTick);
            }
            catch (IOException)
            {
                // The thread exited while being read.
            }
        }

        return threads;
    }

    /// <summary>The time each thread alive at both snapshots used between them, summed by name (digits dropped: "producer 0" and "producer 1" are one).</summary>
    public static Dictionary<string, double> Between(Dictionary<int, (string Name, double Nanoseconds)> before, Dictionary<int, (string Name, double Nanoseconds)> after)
    {
        var byName = new Dictionary<string, double>();
        foreach (var (id, (name, ns)) in after)
        {
            if (!before.TryGetValue(id, out var earlier)) continue;
            var key = string.Concat(name.Where(c => !char.IsDigit(c))).Trim();
            byName[key] = byName.GetValueOrDefault(key) + (ns - earlier.Nanoseconds);
        }

        return byName;
    }

    // utime and stime are the 14th and 15th fields; the name (2nd, in parentheses) may hold spaces, so count after it.
    static long Ticks(string statPath)
    {
        try
        {
            var stat = File.ReadAllText(statPath);
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11]) + long.Parse(fields[12]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }
}
