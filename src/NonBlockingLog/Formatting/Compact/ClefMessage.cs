using System.Globalization;
using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Formatting.Compact;

/// <summary>
/// The rendered parts of a CLEF line: <c>@m</c>, the whole message as <c>MessageTemplate.Render(properties,
/// InvariantCulture)</c> renders it, and the <c>@r</c> items, each token with a format as
/// <c>PropertyToken.Render(properties, writer, InvariantCulture)</c> renders it; both JSON-escaped. Serilog
/// renders each into a string, then escapes it; here values are written through the text formatter's
/// <see cref="ValueWriter"/> straight into the line, escaped on the way. Where Serilog's rendering throws (a
/// format the value rejects), Serilog has written nothing of that part yet: the line is cut back to where the
/// part began, and the exception goes on.
/// </summary>
internal static class ClefMessage
{
    const int PlainLength = 128;

    static readonly IFormatProvider Invariant = CultureInfo.InvariantCulture;

    /// <summary>The message, rendered, as a JSON string.</summary>
    public static void WriteRendered(ClefTemplate template, LogEvent logEvent, JsonLine line)
    {
        var start = line.Length;
        try
        {
            line.Write('"');
            RenderMessage(template, logEvent.Properties, line);
            line.Write('"');
        }
        catch
        {
            line.Truncate(start);
            throw;
        }
    }

    /// <summary>The <c>@r</c> items after <c>,"@r":[</c>: each token with a format, rendered, as a JSON string.</summary>
    public static void WriteRenderings(ClefTemplate template, LogEvent logEvent, JsonLine line)
    {
        var tokens = template.FormattedTokens;
        for (var i = 0; i < tokens.Length; i++)
        {
            // Serilog writes the comma before it renders the item.
            if (i > 0) line.Write(',');
            var start = line.Length;
            try
            {
                line.Write('"');
                RenderToken(tokens[i], logEvent.Properties, line.Escaping);
                line.Write('"');
            }
            catch
            {
                line.Truncate(start);
                throw;
            }
        }
    }

    static void RenderMessage(ClefTemplate template, IReadOnlyDictionary<string, LogEventPropertyValue> properties, JsonLine line)
    {
        var tokens = template.Tokens;
        var escapedText = template.EscapedText;
        var escaping = line.Escaping;

        var walk = new TemplatePropertyWalk(properties);
        for (var i = 0; i < tokens.Length; i++)
        {
            if (escapedText[i] is { } text)
            {
                line.Write(text);
                continue;
            }

            var property = (PropertyToken)tokens[i];
            if (!walk.TryNext(property, out var value))
            {
                escaping.Write(property.ToString());
                continue;
            }

            RenderValue(property, value, escaping);
        }
    }

    // As MessageTemplateRenderer.RenderPropertyToken, neither literal nor JSON.
    static void RenderToken(PropertyToken token, IReadOnlyDictionary<string, LogEventPropertyValue> properties, JsonEscapingWriter output)
    {
        if (!properties.TryGetValue(token.PropertyName, out var value))
        {
            output.Write(token.ToString());
            return;
        }

        RenderValue(token, value, output);
    }

    static void RenderValue(PropertyToken token, LogEventPropertyValue value, JsonEscapingWriter output)
    {
        if (token.Alignment is null)
        {
            if (token.Format is null && value.GetType() == typeof(ScalarValue) && TryWritePlain(((ScalarValue)value).Value, output.Line)) return;
            ValueWriter.WriteDisplay(value, output, token.Format, Invariant);
            return;
        }

        var scratch = ScratchWriter.Rent();
        ValueWriter.WriteDisplay(value, scratch, token.Format, Invariant);
        Padding.Write(output, scratch.GetStringBuilder(), token.Alignment);
        scratch.Return();
    }

    // The common values without a format, written as ScalarValue renders them with the invariant culture, but
    // straight into the line: a string is quoted with its quotes as \" (the display form), and that escaped as
    // JSON; the BCL's numbers, dates, GUIDs and enums are formatted in place, and kept only if nothing in them
    // needs escaping (with the invariant culture and no format, nothing does). False leaves the value to
    // ValueWriter, having written nothing.
    static bool TryWritePlain(object? value, JsonLine line)
    {
        switch (value)
        {
            case string text:
                WriteQuotedDisplay(text, line);
                return true;
            case null or bool:
                return false;
        }

        var room = line.Reserve(PlainLength);
        if (!ScalarFormat.TryFormat(value, room, out var written, default, Invariant) || !JsonLine.IsClean(room[..written])) return false;
        line.Advance(written);
        return true;
    }

    // "text" with each quote as \" (what ScalarValue writes), JSON-escaped: \"text\" with each quote as \\\".
    static void WriteQuotedDisplay(string text, JsonLine line)
    {
        line.Write("\\\"");
        var rest = text.AsSpan();
        int quote;
        while ((quote = rest.IndexOf('"')) >= 0)
        {
            line.WriteEscaped(rest[..quote]);
            line.Write("\\\\\\\"");
            rest = rest[(quote + 1)..];
        }

        line.WriteEscaped(rest);
        line.Write("\\\"");
    }
}
