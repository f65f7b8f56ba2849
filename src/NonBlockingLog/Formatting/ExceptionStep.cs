using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Formatting;

/// <summary>
/// <c>{Exception}</c>: the exception's ToString() and a new line, or nothing, written without the concatenation. An
/// exception whose ToString() throws is described as Serilog 4 describes it (<see cref="ExceptionText"/>), so that
/// the line is still whole.
/// </summary>
internal sealed class ExceptionStep(Alignment? alignment, bool escapeControlCharacters = false) : OutputStep
{
    public override void Write(LogEvent logEvent, TextWriter output)
    {
        if (logEvent.Exception is not { } exception)
        {
            if (alignment is { } a) Padding.WriteSpaces(output, a.Width);
            return;
        }

        var text = ExceptionText.Of(exception);

        // Escaped, the exception stays on one line of its own, ended by the new line below.
        if (escapeControlCharacters) text = ControlCharacters.Escape(text);
        var newLine = Environment.NewLine;
        var padding = alignment is { } b ? b.Width - text.Length - newLine.Length : 0;
        if (padding > 0 && alignment!.Value.Direction == AlignmentDirection.Right) Padding.WriteSpaces(output, padding);
        output.Write(text);
        output.Write(newLine);
        if (padding > 0 && alignment!.Value.Direction == AlignmentDirection.Left) Padding.WriteSpaces(output, padding);
    }
}
