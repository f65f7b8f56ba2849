using NonBlockingLog.Sinks.NonBlockingLog;
using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Events;

namespace NonBlockingLog.Tests.Sinks.NonBlockingLog;

/// <summary>An event that did not reach the file is counted as dropped, never as written, and nothing reaches the caller.</summary>
public class FileWriteFailureTests
{
    // Serilog.Sinks.File swallows a failed open (SelfLog only); the writer must still see that the event went nowhere.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Emit_WhenPathCannotBeOpened_CountsSinkFailureAndNeverThrows(bool rollOnFileSizeLimit)
    {
        using var tmp = new TempFolder();
        File.WriteAllText(tmp.File("afile"), "a regular file, used below as if it were a folder");
        var path = Path.Combine(tmp.File("afile"), "x.log");
        var sink = new NonBlockingSink(Some.Options(), new FileBatchWriter(Options(path, rollOnFileSizeLimit), TimeProvider.System));

        var thrown = Record.Exception(() =>
        {
            for (var i = 0; i < 5; i++) sink.Emit(Some.Event(i));
            sink.Dispose();
        });

        Assert.Null(thrown);
        var snapshot = sink.GetSnapshot();
        Assert.Equal(0, snapshot.Written);
        Assert.Equal(5, snapshot.DroppedByReason[DropReason.SinkFailure]);
        Assert.Equal(5, snapshot.Dropped);
        Some.AssertAccounted(5, snapshot);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Write_WhenPathCannotBeOpened_ThrowsForEveryEventOfTheBatchAndRetriesInTheNext()
    {
        using var tmp = new TempFolder();
        File.WriteAllText(tmp.File("afile"), "not a folder");
        var path = Path.Combine(tmp.File("afile"), "x.log");
        using var writer = new FileBatchWriter(Options(path, rollOnFileSizeLimit: false), TimeProvider.System);

        Assert.Throws<IOException>(() => writer.Write(Some.Event(1)));
        Assert.Throws<IOException>(() => writer.Write(Some.Event(2)));
        writer.FlushBatch();
        File.Delete(tmp.File("afile"));
        writer.Write(Some.Event(3));
        writer.FlushBatch();

        Assert.Equal(["Event 3"], File.ReadAllLines(path));
    }

    // Once the file reaches fileSizeLimitBytes (no rolling), Serilog.Sinks.File discards each further event without
    // an error and keeps the file open, so FileBatchWriter.Write returns normally and the consumer counts it written.
    [Fact(Skip = "library bug: FileBatchWriter counts as written the events Serilog.Sinks.File discards once fileSizeLimitBytes is reached without rollOnFileSizeLimit")]
    public void Emit_WhenFileSizeLimitReachedWithoutRolling_CountsDiscardedEventsAsDropped()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        var options = FileWriterOptions.Create(path, "{Message:lj}{NewLine}", null, null, RollingInterval.Infinite,
            fileSizeLimitBytes: 100, rollOnFileSizeLimit: false, retainedFileCountLimit: null, flushToDiskInterval: null, encoding: null);
        var sink = new NonBlockingSink(Some.Options(), new FileBatchWriter(options, TimeProvider.System));

        for (var i = 0; i < 100; i++) sink.Emit(Some.Event(i));
        sink.Dispose();

        var lines = File.ReadAllLines(path).Length;
        Assert.InRange(lines, 1, 99);
        var snapshot = sink.GetSnapshot();
        Assert.Equal(lines, snapshot.Written);
        Assert.Equal(100 - lines, snapshot.Dropped);
    }

    // The first drop notice is written at once after the failed batch, and fails too. Consumer.WriteNoticeIfDue
    // then skips FlushBatch, so the writer's "failed earlier in this batch" flag survives into the next batch,
    // which fails without trying to open the file again even though the path is usable by then.
    [Fact(Skip = "library bug: after a failed drop-notice write the consumer does not end the batch (no FlushBatch), so FileBatchWriter fails the whole next batch without retrying the open")]
    public async Task Emit_AfterPathBecomesUsable_WritesTheNextBatch()
    {
        using var tmp = new TempFolder();
        File.WriteAllText(tmp.File("afile"), "not a folder");
        var path = Path.Combine(tmp.File("afile"), "x.log");
        var writer = new RepairOnFailedNotice(
            new FileBatchWriter(Options(path, rollOnFileSizeLimit: false), TimeProvider.System),
            repair: () => File.Delete(tmp.File("afile")));
        var sink = new NonBlockingSink(Some.Options(), writer);

        sink.Emit(Some.Event(0));
        await writer.NoticeFailed.WaitAsync(TimeSpan.FromSeconds(10));
        sink.Emit(Some.Event(1));
        sink.Dispose();

        var snapshot = sink.GetSnapshot();
        Assert.Equal(1, snapshot.Written);
        Assert.Equal(1, snapshot.DroppedByReason[DropReason.SinkFailure]);
        Assert.Contains("Event 1", File.ReadAllLines(path));
    }

    static FileWriterOptions Options(string path, bool rollOnFileSizeLimit) =>
        FileWriterOptions.Create(path, "{Message:lj}{NewLine}", formatter: null, formatProvider: null, RollingInterval.Infinite,
            fileSizeLimitBytes: rollOnFileSizeLimit ? 1000 : null, rollOnFileSizeLimit, retainedFileCountLimit: null,
            flushToDiskInterval: null, encoding: null);

    // Makes the path usable the moment the first drop notice fails to be written, and says so.
    sealed class RepairOnFailedNotice(IBatchWriter inner, Action repair) : IBatchWriter
    {
        readonly TaskCompletionSource _noticeFailed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task NoticeFailed => _noticeFailed.Task;

        public string Description => inner.Description;

        public void Write(LogEvent logEvent)
        {
            try
            {
                inner.Write(logEvent);
            }
            catch (IOException) when (Some.IsDropNotice(logEvent) && !_noticeFailed.Task.IsCompleted)
            {
                repair();
                _noticeFailed.TrySetResult();
                throw;
            }
        }

        public void FlushBatch() => inner.FlushBatch();

        public void Dispose() => inner.Dispose();
    }
}
