using NonBlockingLog.Consumption;
using Serilog.Debugging;

namespace NonBlockingLog.Supervision;

/// <summary>
/// Replaces a stalled consumer: builds the destination anew (which may itself be slow: opening a file on a hung
/// share), then asks the supervisor to fence the stalled consumer and start a fresh one on it. Runs on a thread of
/// its own when the watchdog found the stall, so that one sink's recovery never holds up the others.
/// </summary>
internal sealed class StallRecovery(Supervisor owner, Func<IBatchWriter> writerFactory)
{
    public void Start(Consumer stalled, bool inline)
    {
        if (inline)
        {
            Recover(stalled);
            return;
        }

        new Thread(() => Recover(stalled)) { IsBackground = true, Name = $"NonBlockingLog recovery ({owner.Name})" }.Start();
    }

    void Recover(Consumer stalled)
    {
        IBatchWriter writer;
        try
        {
            writer = writerFactory();
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("{0} could not build a new destination for {1}; keeping the old one: {2}", typeof(StallRecovery), owner.Name, ex);
            owner.OnRecoveryFailed(ex);
            return;
        }

        // At this point: a new destination exists. Either the supervisor takes it (and the stalled one, possibly
        // hung, is disposed without waiting), or the sink moved on meanwhile (stopped, or another consumer is
        // current) and the new one is not needed. Both disposals happen outside the supervisor's lock.
        if (owner.TryReplaceStalled(stalled, writer)) WriterDisposal.InBackground(stalled.Writer);
        else WriterDisposal.Here(writer);
    }
}
