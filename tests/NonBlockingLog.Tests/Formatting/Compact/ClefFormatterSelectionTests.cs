using NonBlockingLog.Formatting.Compact;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;
using Serilog.Templates;

namespace NonBlockingLog.Tests.Formatting.Compact;

/// <summary>
/// ClefFormatterSelection compiles exactly the two library formatters with Serilog's own JsonValueFormatter, and
/// leaves every other formatter, and every variation it cannot vouch for, to the library.
/// </summary>
public class ClefFormatterSelectionTests
{
    [Fact]
    public void Select_CompactJsonFormatter_ReturnsTemplateClefFormatter()
    {
        var selected = Assert.IsType<ClefFormatter>(ClefFormatterSelection.Select(new CompactJsonFormatter()));

        Assert.False(selected.IsRendered);
    }

    [Fact]
    public void Select_RenderedCompactJsonFormatter_ReturnsRenderedClefFormatter()
    {
        var selected = Assert.IsType<ClefFormatter>(ClefFormatterSelection.Select(new RenderedCompactJsonFormatter()));

        Assert.True(selected.IsRendered);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Select_WithValueFormatterSubclass_KeepsTheLibraryFormatter(bool rendered)
    {
        ITextFormatter library = rendered
            ? new RenderedCompactJsonFormatter(new ShoutingValueFormatter())
            : new CompactJsonFormatter(new ShoutingValueFormatter());

        var selected = ClefFormatterSelection.Select(library);

        Assert.Same(library, selected);
        var output = new StringWriter();
        selected.Format(new LogEvent(DateTimeOffset.UnixEpoch, LogEventLevel.Information, null, MessageTemplate.Empty,
            [new LogEventProperty("User", new ScalarValue("alice"))]), output);
        Assert.Contains("\"User\":\"ALICE\"", output.ToString());
    }

    [Fact]
    public void Select_SubclassOfTheLibraryFormatters_KeepsIt()
    {
        var subclass = new CompactSubclass();

        Assert.Same(subclass, ClefFormatterSelection.Select(subclass));
    }

    public static TheoryData<string> OtherFormatters() => ["json", "text", "expression"];

    [Theory]
    [MemberData(nameof(OtherFormatters))]
    public void Select_AnyOtherFormatter_KeepsIt(string kind)
    {
        ITextFormatter formatter = kind switch
        {
            "json" => new JsonFormatter(),
            "text" => new MessageTemplateTextFormatter("{Message}"),
            _ => new ExpressionTemplate("{ {@t, @mt} }\n"),
        };

        Assert.Same(formatter, ClefFormatterSelection.Select(formatter));
    }

    [Fact]
    public void Select_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => ClefFormatterSelection.Select(null!));
    }

    /// <summary>A value formatter of the kind the library lets users pass in: it may change any value's JSON.</summary>
    sealed class ShoutingValueFormatter() : JsonValueFormatter("$type")
    {
        protected override void FormatLiteralValue(object? value, TextWriter output)
        {
            if (value is string text) WriteQuotedJsonString(text.ToUpperInvariant(), output);
            else base.FormatLiteralValue(value, output);
        }
    }

    sealed class CompactSubclass : CompactJsonFormatter;
}
