using System.Text;
using NonBlockingLog.Files;
using NonBlockingLog.Formatting.Compact;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Templates;

namespace NonBlockingLog.Tests.Formatting.Compact;

/// <summary>
/// NonBlockingFile with a CLEF formatter, configured in code or by name in appsettings.json, writes through
/// ClefFormatter files that are byte for byte what the library formatter writes; ExpressionTemplate, in code or
/// as an appsettings object, is used as given and writes what it writes.
/// </summary>
public class ClefFileTests
{
    const int Events = 2_000;
    const string CompactName = "Serilog.Formatting.Compact.CompactJsonFormatter, Serilog.Formatting.Compact";
    const string RenderedName = "Serilog.Formatting.Compact.RenderedCompactJsonFormatter, Serilog.Formatting.Compact";
    const string Template = "{ {@t, @l: if @l = 'Information' then undefined() else @l, @m, @x, @tr, @sp, ..@p} }\n";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Create_WithLibraryClefFormatter_UsesClefFormatter(bool rendered)
    {
        var options = Create(ClefAssert.Library(rendered));

        Assert.Equal(rendered, Assert.IsType<ClefFormatter>(options.Formatter).IsRendered);
    }

    [Fact]
    public void Create_WithExpressionTemplate_UsesIt()
    {
        var template = new ExpressionTemplate(Template);

        Assert.Same(template, Create(template).Formatter);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NonBlockingFile_LibraryClefFormatterInCode_WritesTheLibrarysBytes(bool rendered)
    {
        using var files = new ClefTestFiles();
        var path = files.File("app.json");
        var name = SinkName();

        var written = LogTo(new LoggerConfiguration().WriteTo.NonBlockingFile(path, formatter: ClefAssert.Library(rendered), fullMode: QueueFullMode.Wait, name: name),
            name, ClefAssert.Library(rendered), out var chosen);

        Assert.Equal(rendered, Assert.IsType<ClefFormatter>(chosen).IsRendered);
        AssertFileHolds(path, written, ClefAssert.Library(rendered));
    }

    [Theory]
    [InlineData(CompactName, false)]
    [InlineData(RenderedName, true)]
    public void NonBlockingFile_LibraryClefFormatterByName_WritesTheLibrarysBytes(string formatter, bool rendered)
    {
        using var files = new ClefTestFiles();
        var path = files.File("app.json");
        var name = SinkName();
        var settings = ClefTestFiles.Settings($$"""
            {
              "Serilog": {
                "Using": [ "NonBlockingLog" ],
                "MinimumLevel": "Verbose",
                "WriteTo": [ { "Name": "NonBlockingFile", "Args": {
                  "path": {{ClefTestFiles.Quote(path)}}, "formatter": "{{formatter}}", "fullMode": "Wait", "name": "{{name}}" } } ]
              }
            }
            """);
        Assert.Empty(NonBlockingLogConfiguration.FindProblems(settings));

        var written = LogTo(new LoggerConfiguration().ReadFrom.Configuration(settings), name, ClefAssert.Library(rendered), out var chosen);

        Assert.Equal(rendered, Assert.IsType<ClefFormatter>(chosen).IsRendered);
        AssertFileHolds(path, written, ClefAssert.Library(rendered));
    }

    [Fact]
    public void NonBlockingFile_ExpressionTemplateInCode_WritesWhatItWrites()
    {
        using var files = new ClefTestFiles();
        var path = files.File("app.json");
        var name = SinkName();
        var template = new ExpressionTemplate(Template);

        var written = LogTo(new LoggerConfiguration().WriteTo.NonBlockingFile(path, formatter: template, fullMode: QueueFullMode.Wait, name: name),
            name, new ExpressionTemplate(Template), out var chosen);

        Assert.Same(template, chosen);
        AssertFileHolds(path, written, new ExpressionTemplate(Template));
    }

    [Fact]
    public void NonBlockingFile_ExpressionTemplateFromAppSettings_WritesWhatItWrites()
    {
        using var files = new ClefTestFiles();
        var path = files.File("app.json");
        var name = SinkName();
        var settings = ClefTestFiles.Settings($$"""
            {
              "Serilog": {
                "Using": [ "NonBlockingLog", "Serilog.Expressions" ],
                "MinimumLevel": "Verbose",
                "WriteTo": [ { "Name": "NonBlockingFile", "Args": {
                  "path": {{ClefTestFiles.Quote(path)}}, "fullMode": "Wait", "name": "{{name}}",
                  "formatter": { "type": "Serilog.Templates.ExpressionTemplate, Serilog.Expressions", "template": {{ClefTestFiles.Quote(Template)}} } } } ]
              }
            }
            """);
        Assert.Empty(NonBlockingLogConfiguration.FindProblems(settings));

        var written = LogTo(new LoggerConfiguration().ReadFrom.Configuration(settings), name, new ExpressionTemplate(Template), out var chosen);

        Assert.IsType<ExpressionTemplate>(chosen);
        AssertFileHolds(path, written, new ExpressionTemplate(Template));
    }

    // Logs generated events that the expected formatter formats without throwing (one that throws is counted failed
    // and leaves nothing: see WholeLineTests), and returns them in the order they were logged.
    static List<LogEvent> LogTo(LoggerConfiguration configuration, string name, ITextFormatter expected, out ITextFormatter chosen)
    {
        var events = new ClefEvents(ClefAssert.Seed + 7);
        var logged = new List<LogEvent>();
        INonBlockingLogInspector sink;
        using (var log = configuration.MinimumLevel.Verbose().CreateLogger())
        {
            sink = NonBlockingLogSinks.Find(name)!;
            chosen = ClefTestFiles.FormatterOf(name);
            while (logged.Count < Events)
            {
                var e = events.Next();
                if (ClefAssert.Run(w => expected.Format(e, w)).Error is not null) continue;
                log.Write(e);
                logged.Add(e);
            }
        }

        var snapshot = sink.GetSnapshot();
        Assert.Equal(Events, snapshot.Written);
        Assert.Equal(0, snapshot.Dropped);
        return logged;
    }

    static void AssertFileHolds(string path, List<LogEvent> events, ITextFormatter expected)
    {
        var text = new StringWriter();
        foreach (var e in events) expected.Format(e, text);
        var expectedBytes = new UTF8Encoding(false).GetBytes(text.ToString());

        var actualBytes = File.ReadAllBytes(path);

        if (!expectedBytes.AsSpan().SequenceEqual(actualBytes))
        {
            var at = expectedBytes.AsSpan().CommonPrefixLength(actualBytes);
            Assert.Fail($"{path} differs from the library's output at byte {at} of {expectedBytes.Length} (file: {actualBytes.Length} bytes).");
        }
    }

    static FileWriterOptions Create(ITextFormatter formatter) =>
        FileWriterOptions.Create("logs/app.json", "{Message}", formatter, null, RollingInterval.Infinite, null, false, null, null, null);

    static string SinkName() => "clef-" + Guid.NewGuid().ToString("n");
}
