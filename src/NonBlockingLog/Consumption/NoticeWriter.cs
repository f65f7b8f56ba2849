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
            // The notice goes whole or not at all: the writer drops what it holds of it and cuts back what reached
            // the file (a part of a line, on a disk that filled up in the middle of a write), so that the next batch
            // starts clean. Ending the batch instead would keep that part, with the next event on the same line.
            SelfLog.WriteLine("{0} failed writing a drop notice to {1}: {2}", typeof(NoticeWriter), writer.Description, ex);
            try
            {
                writer.Recover();
            }
            catch (Exception recoverError)
            {
                SelfLog.WriteLine("{0} failed recovering {1}: {2}", typeof(NoticeWriter), writer.Description, recoverError);
            }
        }
    }
}
