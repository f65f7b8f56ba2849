using System.Globalization;
using NonBlockingLog.Formatting;
using NonBlockingLog.Tests.Support;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace NonBlockingLog.Tests.Formatting;

/// <summary>
/// OutputTemplateFormatter writes exactly what MessageTemplateTextFormatter writes: the same characters, and where
/// Serilog throws (a format a value rejects), the same exception type, but nothing of the line: a line is written
/// whole or not at all, where Serilog leaves the part before the failing value in the file.
/// </summary>
public class OutputTemplateFormatterTests
{
    const int EventsPerCase = 2_000;
    const int Seed = 20_260_314;

    public const string BenchmarkTemplate = "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} [{Level:u3}] {Message:lj}{NewLine}{Exception}";
    public const string DefaultTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message:lj}{NewLine}{Exception}";

    public static readonly string[] Templates =
    [
        BenchmarkTemplate,
        DefaultTemplate,
        "{Timestamp:o} {Level,-5} {Message}{NewLine}{Exception}",
        "[{Level:w3}|{Level:t4}|{Level:u}|{Level:w}|{Level:t}|{Level:u12}|{Level:x2}|{Level:w0}|{Level:t1}|{Level,8:u3}] {Message:l}",
        "{Timestamp,34:yyyy-MM-dd HH:mm:ss} {Message:j} {Properties}",
        "{Message,-60:lj}|{SourceContext,20}|{SourceContext:u}|{SourceContext:w}|{ThreadId,-4}|{ThreadId:N2}|{Extra}|{Properties:j}{NewLine}",
        "{Timestamp} {Timestamp:u} {Timestamp:r} {Timestamp:dd/MM/yyyy HH:mm:ss.ffffff} {Timestamp:HH:mm:ss.f zz} {Timestamp:yyyy-MM-dd'T'HH} {Exception,-10}|{TraceId} {SpanId,20}|{TraceId,-40}",
        "{Message:j}{Message:l}{Message} {{escaped}} {NewLine,4}x{Properties,30}{Properties:lj,-12}",
        "{Message,40}|{Message:xj}|{Timestamp:yyyy-MM-ddTHH:mm:ss.fffffffzzz}|{Timestamp:yyyyMMddHHmmssfff}|{Exception,300}",
        "{level} {message} {@Message} {$Level} {Level:u3 {Unclosed} } {0} {RequestPath,-30:l} {Extra:lj}",
        "",
        "plain text only {{}}",
    ];

    public static readonly Dictionary<string, IFormatProvider?> Providers = new()
    {
        ["null"] = null,
        ["invariant"] = CultureInfo.InvariantCulture,
        ["de-DE"] = CultureInfo.GetCultureInfo("de-DE"),
        ["en-US"] = CultureInfo.GetCultureInfo("en-US"),
        ["fr-FR"] = CultureInfo.GetCultureInfo("fr-FR"),
        ["th-TH (Buddhist calendar)"] = CultureInfo.GetCultureInfo("th-TH"),
        ["ar-SA (Um Al Qura calendar)"] = CultureInfo.GetCultureInfo("ar-SA"),
        ["de-DE, writable"] = new CultureInfo("de-DE"),
        ["dot time separator"] = DotTimeSeparator(),
        ["NumberFormatInfo"] = NumberFormatInfo.InvariantInfo,
    };

    public static TheoryData<int, string> Cases()
    {
        var cases = new TheoryData<int, string>();
        for (var t = 0; t < Templates.Length; t++)
        {
            foreach (var provider in Providers.Keys) cases.Add(t, provider);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Format_GeneratedEvents_WritesWhatMessageTemplateTextFormatterWrites(int template, string provider)
    {
        var formatProvider = Providers[provider];
        var expected = new MessageTemplateTextFormatter(Templates[template], formatProvider);
        var actual = new OutputTemplateFormatter(Templates[template], formatProvider);
        Assert.True(actual.IsCompiled);

        var events = new RandomEvents(Seed + template);
        for (var i = 0; i < EventsPerCase; i++)
        {
            var e = events.Next();
            AssertSameOutput(expected, actual, e, $"event {i}, message template \"{e.MessageTemplate.Text}\"");
        }
    }

    [Fact]
    public void Format_InAnotherCurrentCulture_WritesWhatMessageTemplateTextFormatterWrites()
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            foreach (var template in Templates)
            {
                var expected = new MessageTemplateTextFormatter(template);
                var actual = new OutputTemplateFormatter(template);
                var events = new RandomEvents(Seed);
                for (var i = 0; i < 500; i++) AssertSameOutput(expected, actual, events.Next(), $"template \"{template}\", event {i}");
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Format_WorkloadEvent_WritesTheExpectedLine()
    {
        var e = new LogEvent(new DateTimeOffset(2026, 3, 14, 15, 9, 26, 535, TimeSpan.FromHours(2)), LogEventLevel.Information, null,
            new MessageTemplateParser().Parse("Request {RequestId} served in {Elapsed} ms for {User}"),
            [new("RequestId", new ScalarValue(42)), new("Elapsed", new ScalarValue(12.5)), new("User", new ScalarValue("alice"))]);

        var output = new StringWriter();
        new OutputTemplateFormatter(BenchmarkTemplate).Format(e, output);

        Assert.Equal("2026-03-14T15:09:26.535+02:00 [INF] Request 42 served in 12.5 ms for alice" + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void Constructor_WithCustomFormatterProvider_FormatsThroughSerilogWhole()
    {
        var provider = new BracketingProvider();
        var actual = new OutputTemplateFormatter(DefaultTemplate, provider);
        var expected = new MessageTemplateTextFormatter(DefaultTemplate, provider);

        Assert.False(actual.IsCompiled);
        var events = new RandomEvents(Seed);
        for (var i = 0; i < 500; i++) AssertSameOutput(expected, actual, events.Next(), $"event {i}");
    }

    [Fact]
    public void Format_WithPlainProviders_IsCompiled()
    {
        foreach (var (name, provider) in Providers) Assert.True(new OutputTemplateFormatter(DefaultTemplate, provider).IsCompiled, name);
    }

    static void AssertSameOutput(MessageTemplateTextFormatter expected, OutputTemplateFormatter actual, LogEvent e, string what)
    {
        var (expectedText, expectedError) = Run(w => expected.Format(e, w));
        var (actualText, actualError) = Run(w => actual.Format(e, w));
        if (expectedError is not null) expectedText = "";
        if (expectedText != actualText || expectedError != actualError)
        {
            Assert.Fail($"{what}:\nexpected ({expectedError ?? "no error"}):\n{expectedText}\nactual ({actualError ?? "no error"}):\n{actualText}");
        }
    }

    static (string Text, string? Error) Run(Action<StringWriter> format)
    {
        var output = new StringWriter();
        try
        {
            format(output);
            return (output.ToString(), null);
        }
        catch (Exception ex)
        {
            return (output.ToString(), ex.GetType().Name);
        }
    }

    static CultureInfo DotTimeSeparator()
    {
        var culture = (CultureInfo)CultureInfo.GetCultureInfo("en-GB").Clone();
        culture.DateTimeFormat.TimeSeparator = ".";
        culture.DateTimeFormat.DateSeparator = "-";
        return CultureInfo.ReadOnly(culture);
    }

    /// <summary>Supplies an ICustomFormatter, which Serilog consults for every scalar: the formatter must not guess.</summary>
    sealed class BracketingProvider : IFormatProvider, ICustomFormatter
    {
        public object? GetFormat(Type? formatType) => formatType == typeof(ICustomFormatter) ? this : null;

        public string Format(string? format, object? arg, IFormatProvider? formatProvider) => $"<{arg}>";
    }
}
