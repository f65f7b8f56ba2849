using NonBlockingLog.Files;

namespace NonBlockingLog.Tests.Files;

/// <summary>Flush is deferred to FlushBatch; disposal still flushes what is left.</summary>
public class BatchGatheringStreamTests
{
    [Fact]
    public void Flush_AfterWrite_DoesNotReachTheInnerStream()
    {
        var (target, stream) = Buffered();

        stream.Write([1, 2, 3]);
        stream.Flush();

        Assert.Equal(0, target.Length);
    }

    [Fact]
    public void FlushBatch_AfterWrite_ReachesTheInnerStream()
    {
        var (target, stream) = Buffered();

        stream.Write([1, 2, 3]);
        stream.FlushBatch();

        Assert.Equal([1, 2, 3], target.ToArray());
    }

    [Fact]
    public void Dispose_AfterWrite_FlushesAndDisposesTheInnerStream()
    {
        var (target, stream) = Buffered();
        stream.Write([1, 2, 3]);

        stream.Dispose();

        Assert.True(stream.IsDisposed);
        Assert.False(stream.CanWrite);
        Assert.Equal([1, 2, 3], target.ToArray());
        Assert.False(target.CanWrite);
    }

    [Fact]
    public void Write_BelowTheSizeLimit_HoldsTheBytesUntilFlushBatch()
    {
        var target = new MemoryStream();
        target.Write(new byte[10]); // the file already holds 10 bytes when it is opened
        var stream = new BatchGatheringStream(target, sizeLimit: 20);

        stream.Write(new byte[9]); // 19 counted: under the limit

        Assert.Equal(10, target.Length);
        Assert.Equal(19, stream.Length);
        stream.FlushBatch();
        Assert.Equal(19, target.Length);
    }

    // Serilog.Sinks.File checks the bytes counted below this stream before each event; once the file reaches the
    // limit they must all be there, or it would write past the limit.
    [Fact]
    public void Write_ReachingTheSizeLimit_PassesEverythingDownAtOnce()
    {
        var target = new MemoryStream();
        target.Write(new byte[10]);
        var stream = new BatchGatheringStream(target, sizeLimit: 20);

        stream.Write(new byte[5]);
        Assert.Equal(10, target.Length);
        stream.Write(new byte[5]); // 20 counted: the limit

        Assert.Equal(20, target.Length);
        stream.Write(new byte[3]); // past it (the sink's next check refuses or rolls): still at once
        Assert.Equal(23, target.Length);
        Assert.Equal(13, stream.BytesWritten);
    }

    [Fact]
    public void Write_MoreThanTheGatherBuffer_ReachesTheInnerStreamInOrder()
    {
        var target = new MemoryStream();
        var stream = new BatchGatheringStream(target);
        var expected = new List<byte>();
        for (var i = 0; i < 3000; i++)
        {
            var chunk = Enumerable.Range(0, 1 + i % 97).Select(b => (byte)(i + b)).ToArray();
            stream.Write(chunk);
            expected.AddRange(chunk);
        }

        var large = Enumerable.Range(0, 200_000).Select(b => (byte)(b * 7)).ToArray();
        stream.Write(large, 0, large.Length);
        expected.AddRange(large);
        stream.Write([42]);
        expected.Add(42);
        stream.FlushBatch();

        Assert.Equal(expected.ToArray(), target.ToArray());
        Assert.Equal(expected.Count, stream.BytesWritten);
    }

    [Fact]
    public void Write_WhenTheInnerWriteFails_DoesNotWriteTheSameBytesAgainOnDispose()
    {
        var target = new FailingStream();
        var stream = new BatchGatheringStream(target);
        stream.Write([1, 2, 3]);

        target.Fail = true;
        Assert.Throws<IOException>(stream.FlushBatch);
        target.Fail = false;
        stream.Dispose();

        Assert.Empty(target.Written);
    }

    sealed class FailingStream : MemoryStream
    {
        public bool Fail { get; set; }
        public List<byte> Written { get; } = [];

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Fail) throw new IOException("No space left on device");
            Written.AddRange(buffer.AsSpan(offset, count).ToArray());
        }
    }

    // A BufferedStream stands in for the file stream's buffer: bytes reach the target only when it is flushed.
    static (MemoryStream Target, BatchGatheringStream Stream) Buffered()
    {
        var target = new MemoryStream();
        return (target, new BatchGatheringStream(new BufferedStream(target, 4096)));
    }
}
