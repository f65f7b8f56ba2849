using System.Globalization;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace NonBlockingLog.Formatting;

/// <summary>
/// Writes a property value as Serilog does, through fast paths for plain scalars; everything else (structures,
/// sequences, dictionaries, other scalar types, subclasses) goes to Serilog's own rendering.
/// Assumes a format provider with no ICustomFormatter: OutputTemplateFormatter leaves any other to Serilog whole.
/// </summary>
internal static class ValueWriter
{
    // What Serilog's message rendering and {Properties:j} use.
    public static readonly JsonValueFormatter Json = new("$type");

    const int StackBufferLength = 128;

    /// <summary>Writes what <c>value.Render(output, format, formatProvider)</c> writes.</summary>
    public static void WriteDisplay(LogEventPropertyValue value, TextWriter output, string? format, IFormatProvider? formatProvider)
    {
        // A subclass may override Render.
        if (value.GetType() != typeof(ScalarValue))
        {
            value.Render(output, format, formatProvider);
            return;
        }

        switch (((ScalarValue)value).Value)
        {
            case null:
                output.Write("null");
                return;
            case string text:
                if (format == "l") output.Write(text);
                else WriteQuoted(text, output);
                return;
            case bool b:
                // Not IFormattable: Serilog writes ToString(), whatever the format.
                output.Write(b ? "True" : "False");
                return;
            case { } scalar:
                Span<char> buffer = stackalloc char[StackBufferLength];
                if (ScalarFormat.TryFormat(scalar, buffer, out var written, format, formatProvider ?? CultureInfo.InvariantCulture))
                    output.Write(buffer[..written]);
                else
                    value.Render(output, format, formatProvider);
                return;
        }
    }

    /// <summary>Writes what Serilog's <c>JsonValueFormatter("$type").Format(value, output)</c> writes.</summary>
    public static void WriteJson(LogEventPropertyValue value, TextWriter output)
    {
        if (value is not ScalarValue scalar)
        {
            Json.Format(value, output);
            return;
        }

        Span<char> buffer = stackalloc char[StackBufferLength];
        int written;
        switch (scalar.Value)
        {
            case null:
                output.Write("null");
                return;
            case string text:
                JsonValueFormatter.WriteQuotedJsonString(text, output);
                return;
            case bool b:
                output.Write(b ? "true" : "false");
                return;
            case double d when ShortDecimal.TryFormat(d, buffer, out written) ||
                               (double.IsFinite(d) && d.TryFormat(buffer, out written, "R", CultureInfo.InvariantCulture)):
                output.Write(buffer[..written]);
                return;
            case DateTime dt when dt.TryFormat(buffer[1..^1], out written, "O"):
                WriteQuotedSpan(buffer, written, output);
                return;
            case DateTimeOffset dto when dto.TryFormat(buffer[1..^1], out written, "O"):
                WriteQuotedSpan(buffer, written, output);
                return;
            case { } other when ScalarFormat.TryFormatExactNumber(other, buffer, out written):
                output.Write(buffer[..written]);
                return;
            default:
                Json.Format(scalar, output);
                return;
        }
    }

    // Serilog's ScalarValue quotes a string and escapes only its double quotes (a display form, not JSON).
    static void WriteQuoted(string text, TextWriter output)
    {
        output.Write('"');
        var rest = text.AsSpan();
        int quote;
        while ((quote = rest.IndexOf('"')) >= 0)
        {
            output.Write(rest[..quote]);
            output.Write("\\\"");
            rest = rest[(quote + 1)..];
        }

        output.Write(rest);
        output.Write('"');
    }

    // The value sits at buffer[1..written+1] (formatted into buffer[1..^1], so both quotes fit); one write.
    static void WriteQuotedSpan(Span<char> buffer, int written, TextWriter output)
    {
        buffer[0] = '"';
        buffer[written + 1] = '"';
        output.Write(buffer[..(written + 2)]);
    }
}
