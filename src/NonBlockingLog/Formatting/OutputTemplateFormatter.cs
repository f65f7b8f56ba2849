using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace NonBlockingLog.Formatting;

/// <summary>
/// Formats events by an output template, writing exactly what Serilog's MessageTemplateTextFormatter writes (and
/// where it throws, for a format a value rejects, throwing the same exception, but writing nothing of that line),
/// faster and with no allocation for a typical line.
/// <para>
/// Why by hand: formatting is most of the consumer thread's time, and Serilog offers no faster formatter for a
/// text template. Per event, MessageTemplateTextFormatter
/// compares every token's name with the built-in names, builds the timestamp's string by parsing its custom format
/// again (a large part of a line's cost), renders a double through the general shortest round-trip algorithm and
/// allocates. This formatter decides all it can once, when it parses the template into <see cref="OutputStep"/>s,
/// and writes straight to the TextWriter from stack buffers, with nothing allocated (FormatterBenchmarks measures
/// the difference; the README has the figures).
/// </para>
/// <para>
/// Covered, byte for byte: literal text; <c>{Timestamp}</c> with any format and alignment (common custom formats
/// compiled, see <see cref="TimestampPattern"/>); <c>{Level}</c> with any format (<c>u3</c>, <c>w3</c>,
/// <c>t4</c>, ...) and alignment, the monikers rendered once by Serilog itself; <c>{Message}</c> with
/// <c>l</c>, <c>j</c>, <c>lj</c>, alignment, and the message's own property formats and alignments;
/// <c>{NewLine}</c>; <c>{Exception}</c>; <c>{Properties}</c> (plain and <c>j</c>); <c>{TraceId}</c>,
/// <c>{SpanId}</c>; any other named property (<c>{SourceContext}</c>, with <c>u</c>/<c>w</c> casing).
/// Values: null, string (quoted with Serilog's escaping, bare under <c>l</c>, JSON-escaped under <c>j</c>),
/// bool, the integer types, double, float, decimal, DateTime, DateTimeOffset, TimeSpan, Guid and enums take fast
/// paths that honour the token's format and the format provider; every other value (structures, sequences,
/// dictionaries, other scalar types, ScalarValue subclasses, a value too long for the stack buffer) is
/// rendered by Serilog's own code, for that value only.
/// </para>
/// <para>
/// Not covered: a format provider other than a plain CultureInfo, NumberFormatInfo or DateTimeFormatInfo, which
/// may supply an ICustomFormatter that Serilog consults for every scalar. Then the whole template is formatted by
/// MessageTemplateTextFormatter (<see cref="IsCompiled"/> is false): correctness first.
/// </para>
/// </summary>
internal sealed class OutputTemplateFormatter : ITextFormatter
{
    readonly OutputStep[] _steps = [];
    readonly MessageTemplateTextFormatter? _fallback;
    readonly bool _escapeControlCharacters;

    /// <param name="outputTemplate">The template, as for MessageTemplateTextFormatter.</param>
    /// <param name="formatProvider">Culture-specific formatting, or null.</param>
    /// <param name="escapeControlCharacters">Escape control characters in what comes from the event (see <see cref="ControlCharacters"/>).</param>
    public OutputTemplateFormatter(string outputTemplate, IFormatProvider? formatProvider = null, bool escapeControlCharacters = false)
    {
        ArgumentNullException.ThrowIfNull(outputTemplate);
        _escapeControlCharacters = escapeControlCharacters;
        if (!IsSupported(formatProvider))
        {
            _fallback = new MessageTemplateTextFormatter(outputTemplate, formatProvider);
            return;
        }

        _steps = Compile(new MessageTemplateParser().Parse(outputTemplate), formatProvider, escapeControlCharacters);
    }

    /// <summary>True when this formatter writes the lines itself; false when it hands every event to Serilog's formatter.</summary>
    public bool IsCompiled => _fallback is null;

    /// <summary>
    /// Writes the event's line whole, or nothing: where a value's formatting throws, the exception propagates and
    /// no part of the line reaches <paramref name="output"/> (Serilog's formatter would leave a torn line behind).
    /// </summary>
    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        var line = LineWriter.Rent(output);
        try
        {
            if (_fallback is not null)
            {
                _fallback.Format(_escapeControlCharacters ? EscapedEvents.Of(logEvent) : logEvent, line);
            }
            else
            {
                foreach (var step in _steps)
                {
                    var start = line.Length;
                    step.Write(logEvent, line);
                    if (_escapeControlCharacters && step.WritesEventData) line.EscapeControlCharactersFrom(start);
                }
            }
            output.Write(line.Written);
        }
        finally
        {
            line.Return();
        }
    }

    // The BCL's own providers never return an ICustomFormatter; a subclass or any other provider might.
    static bool IsSupported(IFormatProvider? formatProvider) =>
        formatProvider is null || formatProvider.GetType() == typeof(CultureInfo) ||
        formatProvider is NumberFormatInfo || formatProvider is DateTimeFormatInfo;

    static OutputStep[] Compile(MessageTemplate template, IFormatProvider? formatProvider, bool escapeControlCharacters)
    {
        var steps = new List<OutputStep>();
        foreach (var token in template.Tokens)
        {
            // Names are matched as MessageTemplateTextFormatter matches them: ordinal, case-sensitive.
            OutputStep step = token switch
            {
                TextToken text => new TextStep(text.Text),
                PropertyToken { PropertyName: "Level" } p => new LevelStep(p),
                PropertyToken { PropertyName: "TraceId" } p => new TraceContextStep(isTraceId: true, p.Alignment),
                PropertyToken { PropertyName: "SpanId" } p => new TraceContextStep(isTraceId: false, p.Alignment),
                PropertyToken { PropertyName: "NewLine" } p => new TextStep(RenderConstant(p)),
                PropertyToken { PropertyName: "Exception" } p => new ExceptionStep(p.Alignment, escapeControlCharacters),
                PropertyToken { PropertyName: "Message" } p => new MessageStep(p, formatProvider),
                PropertyToken { PropertyName: "Timestamp" } p => new TimestampStep(p, formatProvider),
                PropertyToken { PropertyName: "Properties" } p => new PropertiesStep(p, template, formatProvider),
                PropertyToken p => new PropertyStep(p, formatProvider),
                _ => throw new ArgumentException($"Unknown token type {token.GetType()} in the output template.", nameof(template)),
            };

            // Adjacent constant text is written at once.
            if (step is TextStep next && steps.Count > 0 && steps[^1] is TextStep previous) steps[^1] = new TextStep(previous.Text + next.Text);
            else steps.Add(step);
        }

        return [.. steps];
    }

    // A token whose output is the same for every event, rendered by Serilog itself (padding included).
    static string RenderConstant(PropertyToken token)
    {
        var output = new StringWriter();
        new MessageTemplateTextFormatter(token.ToString()).Format(new LogEvent(default, LogEventLevel.Information, null, MessageTemplate.Empty, []), output);
        return output.ToString();
    }
}
