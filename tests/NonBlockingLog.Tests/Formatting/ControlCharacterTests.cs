using NonBlockingLog.Formatting;
using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace NonBlockingLog.Tests.Formatting;

/// <summary>escapeControlCharacters: user input never forges a log line.</summary>
public sealed class ControlCharacterTests
{
    const string Forgery = "alice\n2026-01-01 00:00:00.000 +00:00 [ERR] Admin: forged";

    static string Name() => "escape-" + Guid.NewGuid().ToString("n");

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\nb", "a\\nb")]
    [InlineData("a\r\nb", "a\\r\\nb")]
    [InlineData("tab\tstays", "tab\tstays")]
    [InlineData("nul\0bell\u0007esc\u001bdel\u007f", "nul\\u0000bell\\u0007esc\\u001bdel\\u007f")]
    [InlineData("nel\u0085ls\u2028ps\u2029", "nel\\u0085ls\\u2028ps\\u2029")]
    [InlineData("back\\slash", "back\\slash")]
    public void Escape_EscapesEveryLineBreakingCharacterAndNothingElse(string text, string expected)
    {
        Assert.Equal(expected, ControlCharacters.Escape(text));
    }

    [Fact]
    public void NonBlockingFile_WithoutEscaping_AForgedLineAppears()
    {
        var lines = LogThroughFile(escape: false, log => log.Information("Login by {User}", Forgery));
        Assert.Contains(lines, l => l.StartsWith("2026-01-01 00:00:00.000 +00:00 [ERR] Admin: forged", StringComparison.Ordinal));
    }

    [Fact]
    public void NonBlockingFile_WithEscaping_EveryEventIsOneLineWhateverItCarries()
    {
        var lines = LogThroughFile(escape: true, log =>
        {
            log.Information("Login by {User}", Forgery);
            log.Information("Message with a line break in the template\nitself");
            log.Information("Structure {@Request}", new { Path = "/a\r\nb", Headers = new Dictionary<string, string> { ["x\n"] = "y\n" } });
            log.Information("Sequence {Items}", new[] { "one\n", "two" });
            log.Error(new InvalidOperationException("boom\n2026-01-01 [ERR] forged too"), "Failed for {User}", "bob");
        });

        Assert.DoesNotContain(lines, l => l.StartsWith("2026-01-01", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("alice\\n2026-01-01 00:00:00.000 +00:00 [ERR] Admin: forged", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("template\\nitself", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("/a\\r\\nb", StringComparison.Ordinal) && l.Contains("x\\n", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("one\\n", StringComparison.Ordinal));

        // The exception is one line of its own after its event's line: its type first, never a forged timestamp.
        var exception = Assert.Single(lines, l => l.StartsWith("System.InvalidOperationException: boom\\n2026-01-01 [ERR] forged too", StringComparison.Ordinal));
        Assert.DoesNotContain('\n', exception);
        Assert.Equal(6, lines.Length); // 5 events, an exception line, and nothing else
    }

    // A format provider with an ICustomFormatter sends the whole template to Serilog's formatter: escaped all the same.
    [Fact]
    public void NonBlockingFile_WithEscapingAndSerilogsFormatter_EscapesAsWell()
    {
        var lines = LogThroughFile(escape: true, log => log.Information("Login by {User}", Forgery), formatProvider: new CustomProvider());
        Assert.Equal(["[INF] Login by \"alice\\n2026-01-01 00:00:00.000 +00:00 [ERR] Admin: forged\""], lines);
    }

    [Fact]
    public void NonBlockingFile_WithEscapingAndAFormatterOfTheApps_EscapesTheEventItGets()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        using (var log = new LoggerConfiguration()
                   .WriteTo.NonBlockingFile(path, formatter: new MessageTemplateTextFormatter("{Message:lj}{NewLine}"), escapeControlCharacters: true, name: Name())
                   .CreateLogger())
        {
            log.Information("Login by {User}", Forgery);
        }

        Assert.Equal(["Login by alice\\n2026-01-01 00:00:00.000 +00:00 [ERR] Admin: forged"], File.ReadAllLines(path));
    }

    [Fact]
    public void NonBlocking_WithEscaping_TheWrappedSinkReceivesEscapedEvents()
    {
        var inner = new CollectingSink();
        using (var log = new LoggerConfiguration().WriteTo.NonBlocking(to => to.Sink(inner), escapeControlCharacters: true, name: Name()).CreateLogger())
        {
            log.Information("Login by {User} from {Address}", Forgery, "10.0.0.1");
        }

        var e = Assert.Single(inner.CallerEvents);
        Assert.Equal("alice\\n2026-01-01 00:00:00.000 +00:00 [ERR] Admin: forged", ((ScalarValue)e.Properties["User"]).Value);
        Assert.Equal("10.0.0.1", ((ScalarValue)e.Properties["Address"]).Value);
        Assert.Equal(["User", "Address"], e.Properties.Keys);
    }

    [Fact]
    public void EscapedEvents_WithNothingToEscape_ReturnsTheSameEvent()
    {
        var e = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, new InvalidOperationException("fine"), new MessageTemplateParser().Parse("Hello {Name}"),
            [new LogEventProperty("Name", new ScalarValue("world")), new LogEventProperty("List", new SequenceValue([new ScalarValue(1)]))]);
        Assert.Same(e, EscapedEvents.Of(e));
    }

    static string[] LogThroughFile(bool escape, Action<Logger> log, IFormatProvider? formatProvider = null)
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        var template = formatProvider is null ? "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message:lj}{NewLine}{Exception}" : "[{Level:u3}] {Message}{NewLine}{Exception}";
        using (var logger = new LoggerConfiguration().WriteTo.NonBlockingFile(path, outputTemplate: template, formatProvider: formatProvider, escapeControlCharacters: escape, name: Name()).CreateLogger())
        {
            log(logger);
        }

        return File.ReadAllLines(path);
    }

    sealed class CustomProvider : IFormatProvider
    {
        public object? GetFormat(Type? formatType) => null;
    }
}
