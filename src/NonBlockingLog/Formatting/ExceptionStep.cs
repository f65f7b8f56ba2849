using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Formatting;

/// <summary><c>{Exception}</c>: the exception's ToString() and a new line, or nothing, written without the concatenation.</summary>
internal sealed class ExceptionStep(Alignment? alignment) : OutputStep
{
    public override void Write(LogEvent logEvent, TextWriter output)
    {
        if (logEvent.Exception is not { } exception)
        {
            if (alignment is { } a) Padding.WriteSpaces(output, a.Width);
            return;
        }

        var text = exception.ToString() ?? "";
        var newLine = Environment.NewLine;
        var padding = alignment is { } b ? b.Width - text.Length - newLine.Length : 0;
        if (padding > 0 && alignment!.Value.Direction == AlignmentDirection.Right) Padding.WriteSpaces(output, padding);
        output.Write(text);
        output.Write(newLine);
        if (padding > 0 && alignment!.Value.Direction == AlignmentDirection.Left) Padding.WriteSpaces(output, padding);
    }
}
