using System.Collections.Concurrent;
using System.Reflection;

namespace NonBlockingLog.Tests.Formatting.Compact.Shipping;

/// <summary>
/// Moves the clock that Serilog.Sinks.File rolls by, for the consumer threads of chosen NonBlockingFile sinks only,
/// so that a test can roll files by time (a minute) without waiting for it. Serilog.Sinks.File reads the time
/// through an internal static delegate; this puts one in its place that returns <c>DateTime.Now</c>, as the
/// original does, on every other thread, so other tests running alongside see no change. The delegate is
/// replaced once per process and left there.
/// </summary>
internal static class SinksFileClock
{
    static readonly ConcurrentDictionary<string, TimeSpan> s_shifts = new(StringComparer.Ordinal);
    static readonly object s_installLock = new();
    static bool s_installed;

    /// <summary>From now on, the consumer of sink <paramref name="sinkName"/> sees the time <paramref name="shift"/> ahead.</summary>
    public static void Shift(string sinkName, TimeSpan shift)
    {
        Install();
        s_shifts[ThreadName(sinkName)] = shift;
    }

    public static void Reset(string sinkName) => s_shifts.TryRemove(ThreadName(sinkName), out _);

    // NonBlockingLog names each consumer thread after its sink (Consumption/Consumer.cs).
    static string ThreadName(string sinkName) => $"NonBlockingLog consumer ({sinkName})";

    static DateTime Now() =>
        !s_shifts.IsEmpty && Thread.CurrentThread.Name is { } name && s_shifts.TryGetValue(name, out var shift)
            ? DateTime.Now + shift
            : DateTime.Now;

    static void Install()
    {
        lock (s_installLock)
        {
            if (s_installed) return;
            var clock = typeof(Serilog.Sinks.File.FileLifecycleHooks).Assembly.GetType("Serilog.Sinks.File.Clock")
                ?? throw new InvalidOperationException("Serilog.Sinks.File has no Clock type any more: the time rolls of this test need another way in.");
            var now = clock.GetField("_dateTimeNow", BindingFlags.Static | BindingFlags.NonPublic)
                ?? throw new InvalidOperationException("Serilog.Sinks.File's Clock has no _dateTimeNow any more: the time rolls of this test need another way in.");
            now.SetValue(null, new Func<DateTime>(Now));
            s_installed = true;
        }
    }
}
