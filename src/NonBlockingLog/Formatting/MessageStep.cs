using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Formatting;

/// <summary>
/// <c>{Message}</c>, <c>{Message:l}</c>, <c>{Message:j}</c>, <c>{Message:lj}</c>: the event's message template
/// rendered as Serilog's MessageTemplateRenderer does. Its text is written as is; a property missing from the event
/// is written as its raw token; with <c>l</c> a string value is written bare; with <c>j</c> a value whose token has
/// no format is written as JSON; any other value as Serilog renders it with the token's format.
/// </summary>
internal sealed class MessageStep : OutputStep
{
    readonly bool _isLiteral;
    readonly bool _isJson;
    readonly Alignment? _alignment;
    readonly IFormatProvider? _formatProvider;

    public MessageStep(PropertyToken token, IFormatProvider? formatProvider)
    {
        // As Serilog reads the format: any 'l' anywhere makes it literal, any 'j' JSON; other characters are ignored.
        _isLiteral = token.Format?.Contains('l') ?? false;
        _isJson = token.Format?.Contains('j') ?? false;
        _alignment = token.Alignment;
        _formatProvider = formatProvider;
    }

    public override bool WritesEventData => true;

    public override void Write(LogEvent logEvent, TextWriter output) =>
        WriteAligned(output, _alignment, (Step: this, Event: logEvent), static (s, w) => s.Step.Render(s.Event, w));

    void Render(LogEvent logEvent, TextWriter output)
    {
        // Tokens is the template's own token array; enumerating it as IEnumerable would allocate per event.
        var tokens = logEvent.MessageTemplate.Tokens as MessageTemplateToken[] ?? [.. logEvent.MessageTemplate.Tokens];
        var properties = logEvent.Properties;

        var walk = new TemplatePropertyWalk(properties);
        foreach (var token in tokens)
        {
            if (token is TextToken text)
            {
                output.Write(text.Text);
                continue;
            }

            var property = (PropertyToken)token;
            if (!walk.TryNext(property, out var value))
            {
                output.Write(property.ToString());
                continue;
            }

            if (property.Alignment is null)
            {
                WriteValue(value, output, property.Format);
                continue;
            }

            var scratch = ScratchWriter.Rent();
            WriteValue(value, scratch, property.Format);
            Padding.Write(output, scratch.GetStringBuilder(), property.Alignment);
            scratch.Return();
        }
    }

    void WriteValue(LogEventPropertyValue value, TextWriter output, string? format)
    {
        if (_isLiteral && value is ScalarValue { Value: string text }) output.Write(text);
        else if (_isJson && format is null) ValueWriter.WriteJson(value, output);
        else ValueWriter.WriteDisplay(value, output, format, _formatProvider);
    }
}
