using System.Buffers;

namespace NonBlockingLog.Files;

/// <summary>
/// Sits between Serilog.Sinks.File's writer and its file stream (via FileLifecycleHooks). The file sink runs
/// unbuffered, so it pushes each event's bytes down at once, but the flush it asks for per event is deferred
/// to <see cref="FlushBatch"/>, and the bytes are gathered here: one write to the operating system per batch
/// (or per 64 KB) instead of one per event or per the file stream's 4 KB, while rolling, size limits and
/// retention stay Serilog.Sinks.File's. A write call costs far more than
/// copying a line, so this is one of the larger savings on the consumer's path.
/// <para>
/// The size limit stays exact. Serilog.Sinks.File counts the bytes that pass below this stream and, before each
/// event, refuses it (or rolls) once the count has reached fileSizeLimitBytes. So while the file is under the
/// limit, holding bytes back changes none of its decisions; the moment the file would reach the limit with the
/// bytes held, they all go down at once, and its next check sees the same count as without this stream.
/// </para>
/// </summary>
internal sealed class BatchGatheringStream : Stream
{
    const int GatherSize = 64 * 1024;

    readonly Stream _inner;

    // Serilog.Sinks.File counts towards fileSizeLimitBytes from the file's length at open, as its counting stream
    // does, plus every byte written here once passed down. Null: no limit, nothing to keep exact.
    readonly long? _sizeLimit;
    readonly long _lengthAtOpen;

    byte[]? _gathered = ArrayPool<byte>.Shared.Rent(GatherSize);
    int _gatheredCount;
    bool _discarding;

    public BatchGatheringStream(Stream inner, long? sizeLimit = null)
    {
        _inner = inner;
        _sizeLimit = sizeLimit;
        if (sizeLimit is not null) _lengthAtOpen = inner.Length;
    }

    public bool IsDisposed { get; private set; }

    /// <summary>Bytes handed to this stream so far; with the file's length at open, what Serilog.Sinks.File counts towards the size limit.</summary>
    public long BytesWritten { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !IsDisposed;
    public override long Length => _inner.Length + _gatheredCount;
    public override long Position { get => _inner.Position + _gatheredCount; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (_discarding) return;
        var gathered = _gathered!;
        if (_gatheredCount + buffer.Length > gathered.Length) PassDown();
        if (buffer.Length >= gathered.Length)
        {
            _inner.Write(buffer);
        }
        else
        {
            buffer.CopyTo(gathered.AsSpan(_gatheredCount));
            _gatheredCount += buffer.Length;
        }

        BytesWritten += buffer.Length;
        if (_sizeLimit is { } limit && _lengthAtOpen + BytesWritten >= limit) PassDown();
    }

    // Deliberately empty: see the type's summary.
    public override void Flush()
    {
    }

    /// <summary>Passes every gathered byte down and flushes the file stream: the batch reaches the operating system.</summary>
    public void FlushBatch()
    {
        PassDown();
        _inner.Flush();
    }

    /// <summary>
    /// The batch being gathered will not be counted written (an outage, or a writer abandoned mid-batch): its bytes
    /// are dropped, and so is whatever arrives until the stream is closed, so that closing adds nothing to the file.
    /// </summary>
    public void Discard()
    {
        _discarding = true;
        _gatheredCount = 0;
    }

    void PassDown()
    {
        var count = _gatheredCount;
        if (count == 0) return;

        // Forgotten before the write: if it fails, the consumer writes the whole batch again, and these bytes must
        // not follow a second time when the file is closed.
        _gatheredCount = 0;
        _inner.Write(_gathered!, 0, count);
    }

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
                PassDown();
                _inner.Flush();
            }
            finally
            {
                _inner.Dispose();
                if (_gathered is { } gathered) ArrayPool<byte>.Shared.Return(gathered);
                _gathered = null;
            }
        }

        base.Dispose(disposing);
    }
}
