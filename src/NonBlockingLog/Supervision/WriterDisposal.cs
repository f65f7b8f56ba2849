using System.Diagnostics;
using NonBlockingLog.Consumption;
using Serilog.Debugging;

namespace NonBlockingLog.Supervision;

/// <summary>
/// Disposes writers, reporting failures through SelfLog: one that may be hung (a stalled destination) without
/// anybody waiting for it, and the last one at shutdown within what is left of shutdownTimeout.
/// </summary>
internal static class WriterDisposal
{
    /// <summary>Disposes <paramref name="writer"/> on a thread of its own that nobody waits for.</summary>
    public static void InBackground(IBatchWriter writer)
    {
        var thread = new Thread(() => Here(writer)) { IsBackground = true, Name = "NonBlockingLog abandoned writer disposal" };
        thread.Start();
    }

    /// <summary>Disposes <paramref name="writer"/> on this thread, reporting a failure through SelfLog.</summary>
    public static void Here(IBatchWriter writer)
    {
        try
        {
            writer.Dispose();
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("{0} failed disposing {1}: {2}", typeof(WriterDisposal), writer.Description, ex);
        }
    }

    /// <summary>
    /// Shutdown: disposes <paramref name="writer"/> (asynchronously where its destination can, unless
    /// <paramref name="synchronous"/>) on a thread of its own, and waits for it until <paramref name="deadline"/>, a
    /// <see cref="Stopwatch"/> timestamp: a destination whose disposal hangs (a hung share, a collector that never
    /// answers) must not hold the application's shutdown beyond shutdownTimeout. A disposal still running then is
    /// left to finish in the background, and SelfLog says so. With <paramref name="synchronous"/> it blocks and never
    /// awaits, so it needs no thread pool.
    /// </summary>
    public static async ValueTask WithinAsync(IBatchWriter writer, long deadline, bool synchronous)
    {
        var disposal = synchronous
            ? Task.Factory.StartNew(() => Here(writer), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            : Task.Factory.StartNew(() => HereAsync(writer), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
        if (left < TimeSpan.Zero) left = TimeSpan.Zero;
        if (synchronous) disposal.Wait(left);
        else await disposal.WaitAsync(left).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!disposal.IsCompleted)
            SelfLog.WriteLine("{0}: disposing {1} did not finish within shutdownTimeout; it goes on in the background", typeof(WriterDisposal), writer.Description);
    }

    static async Task HereAsync(IBatchWriter writer)
    {
        try
        {
            await writer.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("{0} failed disposing {1}: {2}", typeof(WriterDisposal), writer.Description, ex);
        }
    }
}
