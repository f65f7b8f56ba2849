using System.Globalization;
using NonBlockingLog.Formatting;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace NonBlockingLog.Tests.Formatting;

/// <summary>Named cases, each checked against MessageTemplateTextFormatter under several templates and cultures.</summary>
public class OutputTemplateFormatterCaseTests
{
    static readonly string[] Templates =
    [
        OutputTemplateFormatterTests.BenchmarkTemplate,
        OutputTemplateFormatterTests.DefaultTemplate,
        "{Message}|{Message:l}|{Message:j}|{Message,-50:lj}|{Properties}|{Properties:j}|{SourceContext,-12}{NewLine}",
    ];

    static readonly IFormatProvider?[] Providers = [null, CultureInfo.InvariantCulture, CultureInfo.GetCultureInfo("de-DE"), CultureInfo.GetCultureInfo("en-US")];

    public static TheoryData<string, string, object?> Cases() => new()
    {
        { "escaping", "Said {Text}", "quote \" backslash \\ newline \n tab \t nul \0 unit \u001f" },
        { "null", "Value {Value}", null },
        { "missing property", "Value {Value} and {Missing,-8:N2}", 1 },
        { "negative int, aligned", "[{Value,8}] [{Value,-8}]", -42 },
        { "negative double, formatted", "{Value:N2} {Value:0.000} {Value}", -1234.5678 },
        { "decimal", "{Value} {Value:C}", -79228162514264337593543950335m },
        { "DateTime, UTC kind", "{Value} {Value:yyyy-MM-dd HH:mm:ss.fff zzz}", new DateTime(2026, 3, 14, 15, 9, 26, 535, DateTimeKind.Utc) },
        { "DateTimeOffset", "{Value} {Value:o} {Value:D}", new DateTimeOffset(2026, 3, 14, 15, 9, 26, 535, TimeSpan.FromHours(-3.5)) },
        { "Guid", "{Value} {Value:N} {Value:B}", new Guid("0f8fad5b-d9cb-469f-a165-70867728950e") },
        { "enum", "{Value} {Value:D} {Value:X}", DayOfWeek.Friday },
        { "flags enum", "{Value} {Value:F}", FileAttributes.Hidden | FileAttributes.ReadOnly },
        { "bool", "{Value} {Value:l}", true },
        { "NaN", "{Value}", double.NaN },
        { "structure", "Order {@Value}", new StructureValue([new("Id", new ScalarValue(7)), new("Name", new ScalarValue("a\"b"))], "Order") },
        { "nested structure", "Order {@Value}", new StructureValue([new("Lines", new SequenceValue([new StructureValue([new("Qty", new ScalarValue(2.5))])]))]) },
        { "sequence", "Items {Value}", new SequenceValue([new ScalarValue(1), new ScalarValue("two"), ScalarValue.Null]) },
        { "dictionary", "Map {Value}", new DictionaryValue([new(new ScalarValue("k\"ey"), new ScalarValue(1.5)), new(new ScalarValue(2), ScalarValue.Null)]) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Format_Case_WritesWhatMessageTemplateTextFormatterWrites(string name, string messageTemplate, object? value)
    {
        var property = value as LogEventPropertyValue ?? new ScalarValue(value);
        var e = new LogEvent(new DateTimeOffset(2026, 3, 14, 15, 9, 26, 535, TimeSpan.FromHours(2)), LogEventLevel.Warning,
            null, new MessageTemplateParser().Parse(messageTemplate),
            [new("Value", property), new("SourceContext", new ScalarValue("App.Orders")), new("Other", new ScalarValue(3))]);

        foreach (var template in Templates)
        {
            foreach (var provider in Providers)
            {
                var expected = new StringWriter();
                new MessageTemplateTextFormatter(template, provider).Format(e, expected);
                var actual = new StringWriter();
                new OutputTemplateFormatter(template, provider).Format(e, actual);
                Assert.True(expected.ToString() == actual.ToString(), $"{name}, {template}, {provider}:\nexpected {expected}\nactual   {actual}");
            }
        }
    }
}
