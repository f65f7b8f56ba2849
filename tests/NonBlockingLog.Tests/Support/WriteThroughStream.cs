namespace NonBlockingLog.Tests.Support;

/// <summary>
/// A write-only stream over a file's stream, for lifecycle hooks that stand in for a disk misbehaving (a short write,
/// a hung write) or watch a file being closed: derived classes change <see cref="Write"/> or
/// <see cref="OnClosing"/>, everything else goes to the file.
/// </summary>
public abstract class WriteThroughStream(Stream inner) : Stream
{
    protected Stream Inner { get; } = inner;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Inner.Length;
    public override long Position { get => Inner.Position; set => throw new NotSupportedException(); }
    public override void Write(byte[] buffer, int offset, int count) => Inner.Write(buffer, offset, count);
    public override void Flush() => Inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Called once the stream is disposed, before the file's stream is.</summary>
    protected virtual void OnClosing()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            OnClosing();
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
