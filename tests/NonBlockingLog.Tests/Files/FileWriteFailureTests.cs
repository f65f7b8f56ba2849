using NonBlockingLog.Accounting;
using NonBlockingLog.Consumption;
using NonBlockingLog.Files;
using NonBlockingLog.Tests.Support;
using Serilog;

namespace NonBlockingLog.Tests.Files;

/// <summary>An event that did not reach the file is counted as dropped, never as written, and nothing reaches the caller.</summary>
public class FileWriteFailureTests
{
    // Serilog.Sinks.File swallows a failed open (SelfLog only); the writer must still see that the event went
    // nowhere. An unopenable path is an I/O outage: the batch waits and is retried, never counted as written.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Emit_WhenPathCannotBeOpened_RetriesNeverCountsWrittenAndNeverThrows(bool rollOnFileSizeLimit)
    {
        using var tmp = new TempFolder();
        File.WriteAllText(tmp.File("afile"), "a regular file, used below as if it were a folder");
        var path = Path.Combine(tmp.File("afile"), "x.log");
        var sink = TestSinks.CreateOverFile(Options(path, rollOnFileSizeLimit), Some.Options(shutdownTimeout: TimeSpan.FromMilliseconds(200)));

        var thrown = Record.Exception(() =>
        {
            for (var i = 0; i < 5; i++) sink.Emit(Some.Event(i));
            Wait.Until(() => sink.GetSnapshot().Phase == ConsumerPhase.BackingOff, "the consumer backs off");
            sink.Dispose();
        });

        Assert.Null(thrown);
        var snapshot = sink.GetSnapshot();
        Assert.Equal(0, snapshot.Written);
        Assert.Equal(5, snapshot.DroppedByReason[DropReason.ShutdownTimeout]);
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
        using var writer = new FileBatchWriter(Options(path, rollOnFileSizeLimit: false), TimeProvider.System, new FailureReporter());

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
    [Fact]
    public void Emit_WhenFileSizeLimitReachedWithoutRolling_CountsDiscardedEventsAsDropped()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        var sink = TestSinks.CreateOverFile(Some.FileOptions(path, fileSizeLimitBytes: 100), Some.Options());

        for (var i = 0; i < 100; i++) sink.Emit(Some.Event(i));
        sink.Dispose();

        var lines = File.ReadAllLines(path).Length;
        Assert.InRange(lines, 1, 99);
        var snapshot = sink.GetSnapshot();
        Assert.Equal(lines, snapshot.Written);
        Assert.Equal(100 - lines, snapshot.DroppedByReason[DropReason.SinkFailure]);
    }

    // The writer gathers bytes before they reach Serilog.Sinks.File's counting stream; its size-limit decisions must
    // stay exactly those of Serilog.Sinks.File alone, for a file that already had content and for rolling.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_WithFileSizeLimit_ProducesExactlyTheFilesOfSerilogSinksFileAlone(bool rollOnFileSizeLimit)
    {
        using var tmp = new TempFolder();
        var ours = Path.Combine(tmp.Path, "ours", "app.log");
        var theirs = Path.Combine(tmp.Path, "theirs", "app.log");
        foreach (var path in new[] { ours, theirs })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "an earlier line of 37 bytes, and more\n");
        }

        var events = Enumerable.Range(0, 300).Select(i => Some.Event(i * 7919)).ToArray();
        using (var writer = new FileBatchWriter(Some.FileOptions(ours, fileSizeLimitBytes: 1000, rollOnFileSizeLimit: rollOnFileSizeLimit), TimeProvider.System, new FailureReporter()))
        {
            for (var i = 0; i < events.Length; i++)
            {
                try
                {
                    writer.Write(events[i]);
                }
                catch (DestinationFailedException)
                {
                    // an event Serilog.Sinks.File reported as not written at the limit (counted dropped by the consumer)
                }

                if (i % 40 == 39) writer.FlushBatch();
            }

            writer.FlushBatch();
        }

        using (var log = new LoggerConfiguration()
                   .WriteTo.File(theirs, outputTemplate: "{Message:lj}{NewLine}", fileSizeLimitBytes: 1000, rollOnFileSizeLimit: rollOnFileSizeLimit)
                   .CreateLogger())
        {
            foreach (var e in events) log.Write(e);
        }

        static string[] Files(string path) => LogFolder.Files(Path.GetDirectoryName(path)!);
        var ourFiles = Files(ours);
        var theirFiles = Files(theirs);
        Assert.Equal(theirFiles.Select(Path.GetFileName), ourFiles.Select(Path.GetFileName));
        Assert.True(theirFiles.Length > (rollOnFileSizeLimit ? 2 : 0));
        for (var i = 0; i < ourFiles.Length; i++) Assert.Equal(File.ReadAllText(theirFiles[i]), File.ReadAllText(ourFiles[i]));
    }

    static FileWriterOptions Options(string path, bool rollOnFileSizeLimit) =>
        Some.FileOptions(path, fileSizeLimitBytes: rollOnFileSizeLimit ? 1000 : null, rollOnFileSizeLimit: rollOnFileSizeLimit);
}
