using NonBlockingLog.Consumption;
using Serilog.Debugging;

namespace NonBlockingLog.Supervision;

/// <summary>Disposes writers, reporting failures through SelfLog; one that may be hung (a stalled destination) without anybody waiting for it.</summary>
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

    /// <summary>Disposes <paramref name="writer"/> asynchronously where its destination can, reporting a failure through SelfLog.</summary>
    public static async ValueTask HereAsync(IBatchWriter writer)
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
