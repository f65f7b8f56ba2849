using Serilog.Events;
using Serilog.Formatting;

namespace NonBlockingLog.Formatting;

/// <summary>
/// <c>escapeControlCharacters</c> for a formatter NonBlockingLog does not compile itself: it formats a copy of the
/// event with its data escaped (<see cref="EscapedEvents"/>), so whatever the formatter writes from the event holds
/// no line break of the user's.
/// </summary>
internal sealed class ControlCharacterEscapingFormatter(ITextFormatter inner) : ITextFormatter
{
    public ITextFormatter Inner => inner;

    public void Format(LogEvent logEvent, TextWriter output) => inner.Format(EscapedEvents.Of(logEvent), output);
}
