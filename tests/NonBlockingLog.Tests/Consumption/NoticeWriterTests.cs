using System.Text;
using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Accounting;
using NonBlockingLog.Consumption;
using NonBlockingLog.Files;
using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Sinks.File;

namespace NonBlockingLog.Tests.Consumption;

public sealed class NoticeWriterTests
{
    // The disk takes half of the notice and fails (ENOSPC part-way through a write). Ending that batch as if it had
    // worked would leave the half line in the file, with the next event glued to it; the notice must go whole, or
    // not at all.
    [Fact]
    public void WriteIfDue_WhenTheNoticeReachesTheFileOnlyInPart_CutsItBackOut()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        var disk = new ShortWritingFile();
        var time = new FakeTimeProvider();
        var counters = new Counters(time);
        var notices = new NoticeWriter(new DropNotice(Some.UniqueName("notice"), counters, time, TimeSpan.FromSeconds(10)), floods: null, counters);
        var file = FileWriterOptions.Create(path, "{Message:lj}{NewLine}", formatter: null, formatProvider: null, RollingInterval.Infinite,
            fileSizeLimitBytes: null, rollOnFileSizeLimit: false, retainedFileCountLimit: null, flushToDiskInterval: null, encoding: null, hooks: disk);
        using var writer = new FileBatchWriter(file, time, new FailureReporter());
        writer.Write(Some.Event(1));
        writer.FlushBatch();
        counters.AddDropped(DropReason.QueueFull, 3);

        disk.CutTheNextWriteShort();
        notices.WriteIfDue(writer, force: true);
        writer.Write(Some.Event(2));
        writer.FlushBatch();

        Assert.Equal(["Event 1", "Event 2"], File.ReadAllLines(path));
        Assert.Equal(0, counters.Notices);
    }

    /// <summary>When told, the next write reaches the file in part only, then fails as a full disk does.</summary>
    sealed class ShortWritingFile : FileLifecycleHooks
    {
        volatile bool _cutShort;

        public void CutTheNextWriteShort() => _cutShort = true;

        public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding) => new ShortWritingStream(underlyingStream, this);

        sealed class ShortWritingStream(Stream inner, ShortWritingFile disk) : WriteThroughStream(inner)
        {
            public override void Write(byte[] buffer, int offset, int count)
            {
                if (!disk._cutShort)
                {
                    Inner.Write(buffer, offset, count);
                    return;
                }

                disk._cutShort = false;
                Inner.Write(buffer, offset, count / 2);
                throw new IOException("No space left on device (after part of the write)");
            }
        }
    }
}
