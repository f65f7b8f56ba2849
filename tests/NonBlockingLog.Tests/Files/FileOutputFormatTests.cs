using System.Globalization;
using System.Text;
using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Formatting.Json;
using Serilog.Parsing;

namespace NonBlockingLog.Tests.Files;

/// <summary>The file holds exactly what Serilog's own formatter writes for the same events.</summary>
public class FileOutputFormatTests
{
    const string Template = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}";

    [Fact]
    public void NonBlockingFile_WithOutputTemplate_WritesWhatMessageTemplateTextFormatterWrites()
    {
        using var tmp = new TempFolder();
        var events = Events();

        Write(events, to => to.NonBlockingFile(tmp.File("app.log"), outputTemplate: Template, formatProvider: CultureInfo.InvariantCulture,
            name: Some.UniqueName("template")));

        var expected = Format(new MessageTemplateTextFormatter(Template, CultureInfo.InvariantCulture), events);
        Assert.Equal(new UTF8Encoding(false).GetBytes(expected), File.ReadAllBytes(tmp.File("app.log")));
    }

    [Fact]
    public void NonBlockingFile_WithFormatter_WritesWhatTheFormatterWrites()
    {
        using var tmp = new TempFolder();
        var events = Events();

        Write(events, to => to.NonBlockingFile(tmp.File("app.json"), formatter: new JsonFormatter(renderMessage: true),
            name: Some.UniqueName("formatter")));

        var expected = Format(new JsonFormatter(renderMessage: true), events);
        Assert.Equal(new UTF8Encoding(false).GetBytes(expected), File.ReadAllBytes(tmp.File("app.json")));
    }

    static void Write(IReadOnlyList<LogEvent> events, Func<Serilog.Configuration.LoggerSinkConfiguration, LoggerConfiguration> sink)
    {
        using var log = sink(new LoggerConfiguration().MinimumLevel.Verbose().WriteTo).CreateLogger();
        foreach (var e in events) log.Write(e);
    }

    static string Format(ITextFormatter formatter, IEnumerable<LogEvent> events)
    {
        var output = new StringWriter();
        foreach (var e in events) formatter.Format(e, output);
        return output.ToString();
    }

    static IReadOnlyList<LogEvent> Events()
    {
        var parser = new MessageTemplateParser();
        var at = new DateTimeOffset(2026, 3, 14, 15, 9, 26, 535, TimeSpan.FromHours(2));
        return
        [
            new(at, LogEventLevel.Information, null, parser.Parse("Hello {Name}, you are {Age}"),
                [new("Name", new ScalarValue("Zoë \"Z\" 日本")), new("Age", new ScalarValue(41.5))]),
            new(at.AddMilliseconds(1), LogEventLevel.Error, new InvalidOperationException("boom\nsecond line"), parser.Parse("Failed {@Order}"),
                [new("Order", new StructureValue([new("Id", new ScalarValue(7)), new("Lines", new SequenceValue([new ScalarValue("a"), new ScalarValue("b")]))], "Order"))]),
            new(at.AddSeconds(1), LogEventLevel.Verbose, null, parser.Parse("No properties"), []),
        ];
    }
}
