using System.Globalization;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Json;
using Serilog.Parsing;

namespace NonBlockingLog.Formatting.Compact;

/// <summary>
/// What a CLEF line needs from a message template that is the same for every event with it: the template's text
/// as a JSON string (<c>@mt</c>), its tokens that have a format (each rendered into <c>@r</c>), and its event id
/// (<c>@i</c>). Immutable, so that a reference to it can be shared between threads without a lock.
/// </summary>
internal sealed class ClefTemplate
{
    public ClefTemplate(MessageTemplate template)
    {
        Template = template;
        Tokens = template.Tokens as MessageTemplateToken[] ?? [.. template.Tokens];
        FormattedTokens = [.. Tokens.OfType<PropertyToken>().Where(t => t.Format is not null)];
        EscapedText = [.. Tokens.Select(t => t is TextToken text ? Escape(text.Text) : null)];

        QuotedText = Quote(template.Text);

        // Computed by Serilog.Formatting.Compact itself, once per template.
        EventId = EventIdHash.Compute(template.Text).ToString("x8", CultureInfo.InvariantCulture);
    }

    public MessageTemplate Template { get; }

    /// <summary>The template's own token array (enumerating <see cref="MessageTemplate.Tokens"/> would allocate per event).</summary>
    public MessageTemplateToken[] Tokens { get; }

    /// <summary>The property tokens with a format, in template order (a token used twice is there twice).</summary>
    public PropertyToken[] FormattedTokens { get; }

    /// <summary>Per token, a text token's text escaped for a JSON string (without quotes); null for a property token.</summary>
    public string?[] EscapedText { get; }

    /// <summary>The template's text, quoted and escaped.</summary>
    public string QuotedText { get; }

    /// <summary>Serilog.Formatting.Compact's hash of the template's text, as eight lower-case hex digits.</summary>
    public string EventId { get; }

    static string Quote(string text)
    {
        var output = new StringWriter();
        JsonValueFormatter.WriteQuotedJsonString(text, output);
        return output.ToString();
    }

    static string Escape(string text) => Quote(text)[1..^1];
}
