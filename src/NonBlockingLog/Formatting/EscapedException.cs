namespace NonBlockingLog.Formatting;

/// <summary>
/// Stands in, in an escaped event (<see cref="EscapedEvents"/>), for an exception whose text holds a control
/// character. Formatters print an exception by its ToString(), by its Message and StackTrace, or walk its
/// InnerException; each gives the original's text escaped (the inner exception is escaped in turn), so that no
/// part of it can start a line. A formatter that prints GetType() names this type; the original type's name
/// starts ToString(), as it always does. Data is not carried over: it may hold anything, and text formatters do
/// not print it.
/// </summary>
internal sealed class EscapedException : Exception
{
    readonly Exception _original;
    readonly string _text;
    readonly string _message;

    EscapedException(Exception original, string text, string message, Exception? inner) : base(message, inner)
    {
        _original = original;
        _text = text;
        _message = message;
        HResult = original.HResult;
    }

    /// <summary><paramref name="exception"/> itself if none of its text needs escaping, otherwise its escaped stand-in.</summary>
    public static Exception Of(Exception exception)
    {
        var text = ExceptionText.Of(exception);
        var escapedText = ControlCharacters.Escape(text);
        var message = MessageOf(exception);
        var escapedMessage = ControlCharacters.Escape(message);
        var inner = exception.InnerException is { } original ? Of(original) : null;
        if (ReferenceEquals(escapedText, text) && ReferenceEquals(escapedMessage, message) && ReferenceEquals(inner, exception.InnerException)) return exception;
        return new EscapedException(exception, escapedText, escapedMessage, inner);
    }

    public override string Message => _message;

    // Asked for rarely, and dear to build: escaped only when a formatter asks.
    public override string? StackTrace => _original.StackTrace is { } trace ? ControlCharacters.Escape(trace) : null;

    public override string? Source => _original.Source;

    public override string ToString() => _text;

    static string MessageOf(Exception exception)
    {
        try
        {
            return exception.Message ?? "";
        }
        catch (Exception ex)
        {
            return $"[Exception.Message failed: {ex.Message}]";
        }
    }
}
