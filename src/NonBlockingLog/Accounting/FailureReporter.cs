using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;

namespace NonBlockingLog.Accounting;

/// <summary>
/// Tells Serilog's failure listener (<see cref="ISetLoggingFailureListener"/>: set by <c>WriteTo.Fallible</c>,
/// <c>WriteTo.FallbackChain</c> or the app) about every event the sink drops, with the events themselves, so a
/// fallback sink receives them and the app's listener can count them. Drops are reported only to a listener that
/// was set: the counters, the metrics and the drop notice already report them otherwise, and SelfLog would flood.
/// A listener that throws never reaches the caller.
/// </summary>
/// <remarks>
/// The listener is called synchronously, on the thread where the failure happens, never with a lock of the sink
/// held (so it may use the sink again, from any thread): the caller's thread, inside Emit, for an event dropped
/// on the way in (queue_full, wait_timeout, level_reserve, consumer_unavailable, memory_limit, disposed, and the
/// oldest event DropOldest evicts; flood_limit drops are not told); the consumer's thread for an event its destination failed (sink_failure), an
/// outage being retried, a crash (reported by the dying consumer), and a failure the destination itself reports;
/// the watchdog's thread (or whoever runs a supervision step) for a stall; and the thread disposing the sink for
/// the events counted as shutdown_timeout. It is called inline, not handed to a thread of its own: a slow
/// listener slows the caller's Emit on the drop path, and the consumer on the failure path.
/// </remarks>
internal sealed class FailureReporter
{
    // Written once during configuration (Serilog's contract); read on every report.
    volatile ILoggingFailureListener? _listener;

    /// <summary>The object named as the sender of every report: the sink.</summary>
    public object Sender { get; set; } = typeof(FailureReporter);

    public void SetListener(ILoggingFailureListener listener) => _listener = listener;

    /// <summary>One event dropped on the caller's path.</summary>
    public void Dropped(DropReason reason, LogEvent logEvent)
    {
        if (_listener is not { } listener) return;
        Report(listener, KindOf(reason), Describe(reason), [logEvent], exception: null);
    }

    /// <summary>Events dropped on the consumer's side (a failing destination, a shutdown timeout).</summary>
    public void Dropped(DropReason reason, IReadOnlyCollection<LogEvent> events, Exception? exception)
    {
        if (events.Count == 0 || _listener is not { } listener) return;
        Report(listener, KindOf(reason), Describe(reason), events, exception);
    }

    /// <summary>A failure the sink recovers from by itself (an I/O outage retried, a consumer restarted); nothing is lost.</summary>
    public void Temporary(string message, IReadOnlyCollection<LogEvent>? events, Exception? exception)
    {
        if (_listener is not { } listener) return;
        Report(listener, LoggingFailureKind.Temporary, message, events, exception);
    }

    /// <summary>A failure the destination reported that is not about an event the sink is writing: passed on as is.</summary>
    public void Forward(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception) =>
        Report(_listener ?? SelfLog.FailureListener, kind, message, events, exception, sender);

    // An event emitted after disposal, or still pending when shutdownTimeout ran out, meets a sink that is going
    // away for good (Final); every other drop is one event lost while the sink goes on (Permanent).
    static LoggingFailureKind KindOf(DropReason reason) =>
        reason is DropReason.Disposed or DropReason.ShutdownTimeout ? LoggingFailureKind.Final : LoggingFailureKind.Permanent;

    static string Describe(DropReason reason) => $"dropped events ({reason.ToTag()})";

    void Report(ILoggingFailureListener listener, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception, object? sender = null)
    {
        try
        {
            listener.OnLoggingFailed(sender ?? Sender, kind, message, events, exception);
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("{0}: the failure listener {1} threw: {2}", typeof(FailureReporter), listener.GetType(), ex);
        }
    }
}
