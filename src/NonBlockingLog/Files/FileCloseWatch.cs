namespace NonBlockingLog.Files;

/// <summary>
/// Passes everything through to the stream Serilog.Sinks.File writes a file with, and calls back when that stream
/// is closed: the moment, on a roll, between closing one file and opening the next.
/// </summary>
internal sealed class FileCloseWatch(Stream inner, Action closing) : Stream
{
    bool _closed;

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    public override void WriteByte(byte value) => inner.WriteByte(value);
    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void SetLength(long value) => inner.SetLength(value);

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            _closed = true;
            try
            {
                closing();
            }
            finally
            {
                inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
