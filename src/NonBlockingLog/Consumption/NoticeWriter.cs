using NonBlockingLog.Accounting;
using NonBlockingLog.Flooding;
using Serilog.Debugging;
using Serilog.Events;

namespace NonBlockingLog.Consumption;

/// <summary>
/// Writes a due <see cref="DropNotice"/> into the log through the consumer's writer, with the
/// <see cref="FloodSummaries"/> of the same span, as a batch of their own.
/// </summary>
internal sealed class NoticeWriter(DropNotice notice, FloodSummaries? floods, Counters counters)
{
    /// <summary>How long until a notice is due; <see cref="Timeout.InfiniteTimeSpan"/> when nothing is unreported.</summary>
    public TimeSpan TimeUntilDue() => notice.TimeUntilDue();

    /// <summary>Consumer only. Best effort: the drops stay counted whatever happens to the notice.</summary>
    public void WriteIfDue(IBatchWriter writer, bool force)
    {
        var since = notice.WindowStart;
        if (notice.TakeDue(force) is not { } due) return;
        List<LogEvent> lines = [due, .. floods?.Take(since, due.Timestamp) ?? []];
        try
        {
            foreach (var line in lines) writer.Write(line);
            writer.FlushBatch();
            counters.AddNotices(lines.Count);
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
