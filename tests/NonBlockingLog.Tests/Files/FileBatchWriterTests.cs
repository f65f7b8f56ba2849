using NonBlockingLog.Accounting;
using NonBlockingLog.Files;
using NonBlockingLog.Tests.Support;
using Serilog;

namespace NonBlockingLog.Tests.Files;

/// <summary>"Written" means handed to the operating system: one write per batch, visible to other readers after it.</summary>
public class FileBatchWriterTests
{
    static readonly string NewLine = Environment.NewLine;

    [Fact]
    public void FlushBatch_AfterWrites_BytesAreVisibleToAnotherReader()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        using var writer = NewWriter(path);

        writer.Write(Some.Event(1));
        writer.Write(Some.Event(2));
        writer.FlushBatch();

        Assert.Equal(Lines(1, 2), ReadShared(path));

        writer.Write(Some.Event(3));
        writer.FlushBatch();

        Assert.Equal(Lines(1, 2, 3), ReadShared(path));
    }

    // Serilog.Sinks.File asks for a flush after every event; the deferral keeps the bytes in the file stream's
    // buffer until the batch ends, which is the whole point of BatchGatheringStream.
    [Fact]
    public void Write_BeforeFlushBatch_BytesStayInProcess()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        using var writer = NewWriter(path);

        writer.Write(Some.Event(1));
        writer.Write(Some.Event(2));

        Assert.Equal("", ReadShared(path));
        writer.FlushBatch();
        Assert.Equal(Lines(1, 2), ReadShared(path));
    }

    // A writer disposed in the middle of a batch was abandoned (a stall, a shutdown timeout): its batch is counted
    // dropped, or written again by a successor, so none of it may reach the file now.
    [Fact]
    public void Dispose_AfterUnflushedWrites_KeepsTheUnaccountedBatchOutOfTheFile()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        var writer = NewWriterHoldingEventOne(path);
        writer.Write(Some.Event(2));

        writer.Dispose();

        Assert.Equal(Lines(1), ReadShared(path));
    }

    // A stalled writer, replaced: its consumer's recovery after a late I/O error would cut the file back to where
    // the failed batch began, and with it whatever the successor wrote since.
    [Fact]
    public void Recover_AfterAbandon_LeavesTheFileAlone()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        var writer = NewWriterHoldingEventOne(path);
        writer.Write(Some.Event(2));
        File.AppendAllText(path, $"the successor's line{NewLine}");

        writer.Abandon();
        writer.Recover();
        writer.Dispose();

        Assert.Equal(Lines(1) + $"the successor's line{NewLine}", ReadShared(path));
    }

    [Fact]
    public void Write_AfterAbandon_ThrowsAndWritesNothing()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        using var writer = NewWriterHoldingEventOne(path);

        writer.Abandon();

        Assert.Throws<ObjectDisposedException>(() => writer.Write(Some.Event(2)));
        Assert.Throws<ObjectDisposedException>(writer.FlushBatch);
        Assert.Equal(Lines(1), ReadShared(path));
    }

    // A replaced writer may have begun cutting the file back before it was abandoned: a successor that wrote before
    // the cut landed would lose its lines, so it waits (an outage, retried) until the cut is over.
    [Fact]
    public void Write_WhileAnotherWriterOfTheSinkCutsTheFileBack_IsAnOutageUntilTheCutEnds()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        var options = Some.FileOptions(path);
        var ownership = new FileOwnership(options);
        using var successor = new FileBatchWriter(options, TimeProvider.System, new FailureReporter(), ownership);

        ownership.BeginCut();
        Assert.Throws<IOException>(() => successor.Write(Some.Event(1)));
        successor.FlushBatch();
        ownership.EndCut();
        successor.Write(Some.Event(2));
        successor.FlushBatch();

        Assert.Equal(Lines(2), ReadShared(path));
    }

    static FileBatchWriter NewWriter(string path) => new(Some.FileOptions(path), TimeProvider.System, new FailureReporter());

    // A writer whose first batch, event 1, is already in the file: what a test that abandons or disposes a writer
    // in the middle of its next batch starts from.
    static FileBatchWriter NewWriterHoldingEventOne(string path)
    {
        var writer = NewWriter(path);
        writer.Write(Some.Event(1));
        writer.FlushBatch();
        return writer;
    }

    // The file's text after Some.Event(n) for each of the events, one line each.
    static string Lines(params int[] events) => string.Concat(events.Select(n => $"Event {n}{NewLine}"));

    static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
