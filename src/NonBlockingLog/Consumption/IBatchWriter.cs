using Serilog.Events;

namespace NonBlockingLog.Consumption;

/// <summary>
/// What the consumer writes through. Called from one thread at a time (the consumer), never from callers.
/// </summary>
internal interface IBatchWriter : IDisposable, IAsyncDisposable
{
    /// <summary>Describes the destination in diagnostics, such as the wrapped sink's type or the file path.</summary>
    string Description { get; }

    /// <summary>Writes one event. Throws if this event could not be written; the rest of the batch goes on.</summary>
    void Write(LogEvent logEvent);

    /// <summary>
    /// Ends a batch: hands everything written since the last call to the operating system. Throws if that
    /// failed, in which case the batch's events are not known to be written.
    /// </summary>
    void FlushBatch();

    /// <summary>True if <see cref="Write"/> only buffers, so an event is written only once its batch is flushed.</summary>
    bool DefersFlush { get; }

    /// <summary>After an I/O error, before the next attempt: drop what is broken (an open file) so it is opened anew.</summary>
    void Recover();

    /// <summary>
    /// Any thread, and it must not block: the consumer using this writer was fenced, and a successor may be about to
    /// write the same destination through a writer of its own. Nothing this writer still does (its consumer may be
    /// hung inside it) may change what the destination already holds: a file writer never cuts a file back again.
    /// </summary>
    void Abandon()
    {
    }

    /// <summary>Disposes the destination; writers whose destination disposes asynchronously override it.</summary>
    ValueTask IAsyncDisposable.DisposeAsync()
    {
        Dispose();
        return default;
    }
}
