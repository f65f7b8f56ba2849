namespace NonBlockingLog.Sinks.NonBlockingLog;

/// <summary>
/// Sits between Serilog.Sinks.File's writer and its file stream (via FileLifecycleHooks). The file sink runs
/// unbuffered, so it pushes each event's bytes down at once, but the flush it asks for per event is deferred
/// to <see cref="FlushBatch"/>: one write to the operating system per batch instead of one per event, while
/// rolling, size limits and retention stay Serilog.Sinks.File's.
/// </summary>
internal sealed class DeferredFlushStream(Stream inner) : Stream
{
    public bool IsDisposed { get; private set; }

    /// <summary>Bytes handed down so far: tells whether an event reached the file at all.</summary>
    public long BytesWritten { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !IsDisposed;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        BytesWritten += count;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        BytesWritten += buffer.Length;
    }

    // Deliberately empty: see the type's summary.
    public override void Flush()
    {
    }

    public void FlushBatch() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !IsDisposed)
        {
            IsDisposed = true;
            try
            {
                inner.Flush();
            }
            finally
            {
                inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
