using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Formatting;

/// <summary>
/// Any other named property of the output template (<c>{SourceContext}</c>, <c>{ThreadId}</c>, ...), as
/// MessageTemplateTextFormatter writes it: nothing when the event lacks it (not even padding); a string bare,
/// upper-cased for <c>u</c> and lower-cased for <c>w</c>; any other value as Serilog renders it with the format.
/// </summary>
internal sealed class PropertyStep(PropertyToken token, IFormatProvider? formatProvider) : OutputStep
{
    readonly string _name = token.PropertyName;
    readonly string? _format = token.Format;
    readonly Alignment? _alignment = token.Alignment;

    public override bool WritesEventData => true;

    public override void Write(LogEvent logEvent, TextWriter output)
    {
        if (!logEvent.Properties.TryGetValue(_name, out var value)) return;

        if (value is ScalarValue { Value: string text })
        {
            var cased = _format switch
            {
                "u" => text.ToUpperInvariant(),
                "w" => text.ToLowerInvariant(),
                _ => text,
            };
            Padding.Write(output, cased, _alignment);
            return;
        }

        if (_alignment is null)
        {
            ValueWriter.WriteDisplay(value, output, _format, formatProvider);
            return;
        }

        var scratch = ScratchWriter.Rent();
        ValueWriter.WriteDisplay(value, scratch, _format, formatProvider);
        Padding.Write(output, scratch.GetStringBuilder(), _alignment);
        scratch.Return();
    }
}
