using NonBlockingLog.Sinks.NonBlockingLog;

namespace NonBlockingLog.Tests.Sinks.NonBlockingLog;

/// <summary>Flush is deferred to FlushBatch; disposal still flushes what is left.</summary>
public class DeferredFlushStreamTests
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

    // A BufferedStream stands in for the file stream's buffer: bytes reach the target only when it is flushed.
    static (MemoryStream Target, DeferredFlushStream Stream) Buffered()
    {
        var target = new MemoryStream();
        return (target, new DeferredFlushStream(new BufferedStream(target, 4096)));
    }
}
