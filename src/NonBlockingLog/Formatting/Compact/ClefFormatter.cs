using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Json;

namespace NonBlockingLog.Formatting.Compact;

/// <summary>
/// Writes CLEF lines exactly as Serilog.Formatting.Compact's CompactJsonFormatter writes them (or, rendered, its
/// RenderedCompactJsonFormatter), with a value formatter that is Serilog's own JsonValueFormatter; where they
/// throw (an exception whose ToString throws, a format a value rejects), this throws the same exception but writes
/// nothing of the line, where they leave a torn one. <see cref="ClefFormatterSelection"/> chooses it in their place.
/// <para>
/// Why by hand: formatting is most of the consumer thread's time. Per event the library formats the timestamp
/// into a new string, searches the template's tokens for formats with LINQ, escapes the template's text again,
/// renders the message into a new string (rendered form), enumerates the properties through an interface, and
/// makes many small writes to the file's StreamWriter. This formatter keeps what depends only on the template
/// (<see cref="ClefTemplate"/>), formats numbers, dates and the message straight into one buffer, escapes with a
/// vectorised search, and hands the line over in one write, with nothing allocated for a typical event
/// (FormatterBenchmarks measures the difference).
/// </para>
/// <para>
/// Covered: every field the library writes (<c>@t</c>, <c>@mt</c> and <c>@r</c>, or <c>@m</c> and <c>@i</c>;
/// <c>@l</c>, <c>@x</c>, <c>@tr</c>, <c>@sp</c>, properties with a leading <c>@</c> doubled), and every value:
/// scalars of the common types by hand (see <see cref="ClefScalarWriter"/>), any other scalar, and a value of a
/// type no visitor knows, through the JsonValueFormatter itself; messages rendered through the text formatter's
/// <see cref="ValueWriter"/>, which hands what it does not cover to Serilog.
/// </para>
/// </summary>
internal sealed class ClefFormatter : ITextFormatter
{
    const int TimestampLength = 64;

    static readonly string[] s_levelMembers =
        [.. Enum.GetValues<LogEventLevel>().Select(level => $",\"@l\":\"{level}\"")];

    readonly ClefValueWriter _values;
    readonly ClefTemplateCache _templates = new();

    public ClefFormatter(bool rendered, JsonValueFormatter valueFormatter, string? typeTagName)
    {
        IsRendered = rendered;
        _values = new ClefValueWriter(valueFormatter, typeTagName);
    }

    /// <summary>True for RenderedCompactJsonFormatter's lines (<c>@m</c>, <c>@i</c>); false for CompactJsonFormatter's (<c>@mt</c>, <c>@r</c>).</summary>
    public bool IsRendered { get; }

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);

        // A line is written whole or not at all: where a part throws (an exception whose ToString() throws, a
        // format a value rejects) the exception propagates as from the library, but nothing of the line reaches
        // the output, where the library would leave a torn line behind.
        var line = JsonLine.Rent();
        try
        {
            WriteEvent(logEvent, line);
            output.WriteLine(line.Written);
        }
        finally
        {
            line.Return();
        }
    }

    void WriteEvent(LogEvent logEvent, JsonLine line)
    {
        var template = _templates.Get(logEvent.MessageTemplate);

        line.Write("{\"@t\":\"");
        var utc = logEvent.Timestamp.UtcDateTime;
        if (utc.TryFormat(line.Reserve(TimestampLength), out var written, "O")) line.Advance(written);
        else line.Write(utc.ToString("O"));

        if (IsRendered)
        {
            line.Write("\",\"@m\":");
            ClefMessage.WriteRendered(template, logEvent, line);
            line.Write(",\"@i\":\"");
            line.Write(template.EventId);
            line.Write('"');
        }
        else
        {
            line.Write("\",\"@mt\":");
            line.Write(template.QuotedText);
            if (template.FormattedTokens.Length > 0)
            {
                line.Write(",\"@r\":[");
                ClefMessage.WriteRenderings(template, logEvent, line);
                line.Write(']');
            }
        }

        var level = logEvent.Level;
        if (level != LogEventLevel.Information) WriteLevel(level, line);

        if (logEvent.Exception is { } exception)
        {
            // Serilog writes the member's name before it calls ToString, which may throw.
            line.Write(",\"@x\":");
            line.WriteJsonString(exception.ToString());
        }

        if (logEvent.TraceId is { } traceId)
        {
            line.Write(",\"@tr\":\"");
            line.Write(traceId.ToHexString());
            line.Write('"');
        }

        if (logEvent.SpanId is { } spanId)
        {
            line.Write(",\"@sp\":\"");
            line.Write(spanId.ToHexString());
            line.Write('"');
        }

        // Serilog 4's LogEvent keeps its properties in a Dictionary, whose own enumerator allocates nothing.
        if (logEvent.Properties is Dictionary<string, LogEventPropertyValue> properties)
        {
            foreach (var (name, value) in properties) WriteProperty(name, value, line);
        }
        else
        {
            foreach (var (name, value) in logEvent.Properties) WriteProperty(name, value, line);
        }

        line.Write('}');
    }

    static void WriteLevel(LogEventLevel level, JsonLine line)
    {
        if ((uint)level < (uint)s_levelMembers.Length)
        {
            line.Write(s_levelMembers[(int)level]);
            return;
        }

        // A level outside the enum is written as TextWriter.Write(object) writes it: its number.
        line.Write(",\"@l\":\"");
        line.Write(level.ToString());
        line.Write('"');
    }

    void WriteProperty(string name, LogEventPropertyValue value, JsonLine line)
    {
        // CLEF reserves names that start with '@': a property's leading '@' is doubled.
        line.Write(',');
        line.WriteName(name, doubleAt: true);
        _values.Write(value, line);
    }
}
