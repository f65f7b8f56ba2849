using NonBlockingLog.Accounting;
using Serilog.Debugging;

namespace NonBlockingLog.Consumption;

/// <summary>Writes a due <see cref="DropNotice"/> into the log through the consumer's writer, as a batch of its own.</summary>
internal sealed class NoticeWriter(DropNotice notice, Counters counters)
{
    /// <summary>How long until a notice is due; <see cref="Timeout.InfiniteTimeSpan"/> when nothing is unreported.</summary>
    public TimeSpan TimeUntilDue() => notice.TimeUntilDue();

    /// <summary>Consumer only. Best effort: the drops stay counted whatever happens to the notice.</summary>
    public void WriteIfDue(IBatchWriter writer, bool force)
    {
        if (notice.TakeDue(force) is not { } due) return;
        try
        {
            writer.Write(due);
            writer.FlushBatch();
            counters.AddNotice();
        }
        catch (Exception ex)
        {
            // End the batch all the same, so that the writer starts the next one clean.
            SelfLog.WriteLine("{0} failed writing a drop notice to {1}: {2}", typeof(NoticeWriter), writer.Description, ex);
            try
            {
                writer.FlushBatch();
            }
            catch (Exception)
            {
                // Already reported above; the next batch meets the same error and handles it.
            }
        }
    }
}
