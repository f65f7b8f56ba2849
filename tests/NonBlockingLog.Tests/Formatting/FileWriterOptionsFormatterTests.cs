using System.Globalization;
using NonBlockingLog.Files;
using NonBlockingLog.Formatting;
using Serilog.Formatting.Json;
using Serilog;

namespace NonBlockingLog.Tests.Formatting;

/// <summary>NonBlockingFile formats by its output template with OutputTemplateFormatter, and by a given formatter when there is one.</summary>
public class FileWriterOptionsFormatterTests
{
    [Fact]
    public void Create_WithoutFormatter_UsesOutputTemplateFormatter()
    {
        var options = Create(formatter: null, CultureInfo.GetCultureInfo("de-DE"));

        var formatter = Assert.IsType<OutputTemplateFormatter>(options.Formatter);
        Assert.True(formatter.IsCompiled);
    }

    [Fact]
    public void Create_WithFormatter_UsesIt()
    {
        var json = new JsonFormatter();

        Assert.Same(json, Create(json, formatProvider: null).Formatter);
    }

    static FileWriterOptions Create(Serilog.Formatting.ITextFormatter? formatter, IFormatProvider? formatProvider) =>
        FileWriterOptions.Create("logs/app.log", OutputTemplateFormatterTests.DefaultTemplate, formatter, formatProvider,
            RollingInterval.Infinite, null, false, null, null, null);
}
