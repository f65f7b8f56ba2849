using NonBlockingLog.Accounting;
using NonBlockingLog.Formatting;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Consumption;

/// <summary>
/// Writes to the sink(s) that <c>WriteTo.NonBlocking(configure)</c> built; each decides its own flushing. An event
/// counts as written when the sink's Emit returned and the sink did not report it failed (<see cref="DestinationFailures"/>).
/// With <c>escapeControlCharacters</c>, every event it writes (the callers', drop notices, flood summaries, events
/// written again after an outage) reaches the sink as its escaped copy (<see cref="EscapedEvents"/>). Disposes the
/// sink once.
/// </summary>
internal sealed class SinkBatchWriter : IBatchWriter
{
    readonly ILogEventSink _sink;
    readonly DestinationFailures _failures;
    int _disposed;

    readonly bool _escapeControlCharacters;

    public SinkBatchWriter(ILogEventSink sink, FailureReporter failures, bool escapeControlCharacters = false)
    {
        _sink = sink;
        _escapeControlCharacters = escapeControlCharacters;
        _failures = new DestinationFailures(failures);
        _failures.ListenTo(sink);
        Description = sink.GetType().FullName ?? sink.GetType().Name;
    }

    public string Description { get; }

    public void Write(LogEvent logEvent)
    {
        // The sink reports a failure naming the event it was given, so the escaped copy is the one watched for.
        var emitted = _escapeControlCharacters ? EscapedEvents.Of(logEvent) : logEvent;
        _failures.BeginWrite(emitted);
        try
        {
            _sink.Emit(emitted);
        }
        catch
        {
            _failures.EndWrite(reportFailure: false);
            throw;
        }

        _failures.EndWrite();
    }

    public void FlushBatch()
    {
    }

    public bool DefersFlush => false;

    public void Recover()
    {
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_sink is IDisposable disposable) disposable.Dispose();
        else if (_sink is IAsyncDisposable asyncDisposable) asyncDisposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_sink is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        else (_sink as IDisposable)?.Dispose();
    }
}
