using NonBlockingLog.Accounting;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Consumption;

/// <summary>
/// The failure listener a writer sets on its destination. Serilog 4 sinks (Serilog.Sinks.File 7 among them) report
/// some failures through it instead of throwing: a file past its size limit, a file that could not be opened. When
/// such a report names the event the consumer is writing right now, on the consumer's thread, the event failed:
/// <see cref="EndWrite"/> throws, and the consumer counts it as a sink failure, never as written. Anything else is
/// passed on to the sink's own listener (or SelfLog).
/// </summary>
internal sealed class DestinationFailures(FailureReporter failures) : ILoggingFailureListener
{
    // Consumer thread only, while inside a write. Another thread reading _writingThread sees either 0 or the
    // consumer's id, never its own, so a report from elsewhere is never taken for the current event.
    LogEvent? _writing;
    int _writingThread;
    string? _failure;
    Exception? _failureError;

    /// <summary>Listens to <paramref name="destination"/> if it reports failures that way.</summary>
    public void ListenTo(object destination) => (destination as ISetLoggingFailureListener)?.SetFailureListener(this);

    public void BeginWrite(LogEvent logEvent)
    {
        _writing = logEvent;
        _failure = null;
        _failureError = null;
        Volatile.Write(ref _writingThread, Environment.CurrentManagedThreadId);
    }

    /// <summary>Throws if the destination reported that it did not write the event (unless the write threw already).</summary>
    public void EndWrite(bool reportFailure = true)
    {
        Volatile.Write(ref _writingThread, 0);
        _writing = null;
        if (reportFailure && _failure is { } failure) throw new DestinationFailedException(failure, _failureError);
    }

    public void OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception)
    {
        if (kind != LoggingFailureKind.Temporary && Volatile.Read(ref _writingThread) == Environment.CurrentManagedThreadId &&
            _writing is { } current && events is not null && events.Contains(current))
        {
            _failure = $"{sender.GetType().Name} did not write the event: {message}";
            _failureError = exception;
            return;
        }

        failures.Forward(sender, kind, message, events, exception);
    }
}
