using Serilog.Debugging;

namespace NonBlockingLog.Supervision;

/// <summary>
/// One background thread for the whole process that calls <see cref="Supervisor.CheckOnce"/> on every live
/// sink, every <see cref="Period"/> or at once when nudged. A dedicated thread, not a timer: timers run on the
/// thread pool, and a starved pool must not delay recovering a dead consumer.
/// </summary>
internal static class Watchdog
{
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    static readonly object s_lock = new();
    static readonly List<Supervisor> s_supervisors = [];
    static readonly AutoResetEvent s_nudge = new(false);
    static Thread? s_thread;

    public static void Register(Supervisor supervisor)
    {
        lock (s_lock)
        {
            s_supervisors.Add(supervisor);
            s_nudge.Set();
            if (s_thread is not null) return;
            s_thread = new Thread(Run) { IsBackground = true, Name = "NonBlockingLog watchdog" };
            s_thread.Start();
        }
    }

    public static void Unregister(Supervisor supervisor)
    {
        lock (s_lock) s_supervisors.Remove(supervisor);
    }

    public static void Nudge() => s_nudge.Set();

    static void Run()
    {
        while (true)
        {
            bool any;
            lock (s_lock) any = s_supervisors.Count > 0;

            // With no live sink there is nothing to check: sleep until one registers.
            s_nudge.WaitOne(any ? Period : Timeout.InfiniteTimeSpan);
            Supervisor[] supervisors;
            lock (s_lock) supervisors = [.. s_supervisors];

            foreach (var supervisor in supervisors)
            {
                try
                {
                    supervisor.CheckOnce(recoverInline: false);
                }
                catch (Exception ex)
                {
                    SelfLog.WriteLine("{0} failed supervising {1}: {2}", typeof(Watchdog), supervisor.Name, ex);
                }
            }
        }
    }
}
