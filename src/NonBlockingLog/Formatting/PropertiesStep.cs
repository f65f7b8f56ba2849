using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Formatting;

/// <summary>
/// <c>{Properties}</c>: the event's properties that neither its message template nor the output template names,
/// as Serilog's PropertiesOutputFormat writes them: <c>{ Name: value, ... }</c> in the event's order, or with a
/// format containing <c>j</c>, one JSON object. Serilog keeps that code internal, so this is a port of it.
/// </summary>
internal sealed class PropertiesStep : OutputStep
{
    readonly bool _isJson;
    readonly Alignment? _alignment;
    readonly IFormatProvider? _formatProvider;
    readonly HashSet<string> _outputTemplateNames;

    public PropertiesStep(PropertyToken token, MessageTemplate outputTemplate, IFormatProvider? formatProvider)
    {
        _isJson = token.Format?.Contains('j') ?? false;
        _alignment = token.Alignment;
        _formatProvider = formatProvider;
        _outputTemplateNames = new HashSet<string>(outputTemplate.Tokens.OfType<PropertyToken>().Select(t => t.PropertyName), StringComparer.Ordinal);
    }

    public override bool WritesEventData => true;

    public override void Write(LogEvent logEvent, TextWriter output) =>
        WriteAligned(output, _alignment, (Step: this, Event: logEvent), static (s, w) => s.Step.Render(s.Event, w));

    void Render(LogEvent logEvent, TextWriter output)
    {
        var tokens = logEvent.MessageTemplate.Tokens as MessageTemplateToken[] ?? [.. logEvent.MessageTemplate.Tokens];
        if (_isJson)
        {
            var rest = logEvent.Properties.Where(p => IsUnnamed(tokens, p.Key)).Select(p => new LogEventProperty(p.Key, p.Value));
            ValueWriter.Json.Format(new StructureValue(rest), output);
            return;
        }

        output.Write("{ ");
        var separator = "";
        foreach (var (name, value) in logEvent.Properties)
        {
            if (!IsUnnamed(tokens, name)) continue;
            output.Write(separator);
            separator = ", ";
            output.Write(name);
            output.Write(": ");
            ValueWriter.WriteDisplay(value, output, null, _formatProvider);
        }

        output.Write(" }");
    }

    // Serilog asks whether either template has a property token of that name (its named or positional list,
    // whichever it keeps, is every property token of the template).
    bool IsUnnamed(MessageTemplateToken[] messageTokens, string name)
    {
        if (_outputTemplateNames.Contains(name)) return false;
        foreach (var token in messageTokens)
        {
            if (token is PropertyToken property && property.PropertyName == name) return false;
        }

        return true;
    }
}
