using NonBlockingLog.Formatting;
using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace NonBlockingLog.Tests.Formatting;

/// <summary>A line is written whole or not at all: nothing of an event whose formatting fails reaches the file.</summary>
public sealed class WholeLineTests
{
    const string Template = "{Timestamp:o} [{Level:u3}] {Message:lj}{NewLine}{Exception}";

    static LogEvent WithException(Exception exception) =>
        new(DateTimeOffset.UtcNow, LogEventLevel.Error, exception, new MessageTemplateParser().Parse("Failed {Number}"), [new LogEventProperty("Number", new ScalarValue(7))]);

    // Serilog 4 describes an exception whose ToString() throws instead of failing the line; so does the fast path.
    [Fact]
    public void Format_ExceptionWhoseToStringThrows_WritesWhatSerilogWritesInOneWholeLine()
    {
        var e = WithException(new UnprintableException());
        var expected = new StringWriter();
        new MessageTemplateTextFormatter(Template).Format(e, expected);
        var actual = new StringWriter();

        new OutputTemplateFormatter(Template).Format(e, actual);

        Assert.Equal(expected.ToString(), actual.ToString());
        Assert.Contains("[Exception.ToString() failed: no text for you] Original exception type: " + typeof(UnprintableException).FullName, actual.ToString());
    }

    // Serilog's own formatter writes the part of the line before the failing value, then throws.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Format_ValueRejectingItsFormat_ThrowsAndWritesNothing(bool compiled)
    {
        var e = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, new MessageTemplateParser().Parse("Before {Value:X} after"),
            [new LogEventProperty("Value", new ScalarValue(1.5))]);
        var formatter = new OutputTemplateFormatter(Template, compiled ? null : new CustomProvider());
        Assert.Equal(compiled, formatter.IsCompiled);
        var serilog = new StringWriter();
        Assert.Throws<FormatException>(() => new MessageTemplateTextFormatter(Template).Format(e, serilog));
        Assert.NotEqual("", serilog.ToString());

        var output = new StringWriter();
        Assert.Throws<FormatException>(() => formatter.Format(e, output));
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void NonBlockingFile_EventThatCannotBeFormatted_IsCountedAsSinkFailureAndLeavesNoTrace()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        var name = "whole-" + Guid.NewGuid().ToString("n");
        INonBlockingLogInspector sink;
        using (var log = new LoggerConfiguration().WriteTo.NonBlockingFile(path, outputTemplate: "{Message:lj}{NewLine}{Exception}", name: name).CreateLogger())
        {
            sink = NonBlockingLogSinks.Find(name)!;
            log.Information("first");
            log.Information("Before {Value:X} after", 1.5);
            log.Error(new UnprintableException(), "third");
        }

        var s = sink.GetSnapshot();
        Assert.Equal(2, s.Written);
        Assert.Equal(1, s.DroppedByReason[DropReason.SinkFailure]);
        Assert.Equal(["first", "third", $"[Exception.ToString() failed: no text for you] Original exception type: {typeof(UnprintableException).FullName}"],
            File.ReadAllLines(path).Where(l => !l.StartsWith("NonBlockingLog sink", StringComparison.Ordinal)));
    }

    [Fact]
    public void NonBlockingFileWithCompactJson_EventThatCannotBeFormatted_IsCountedAsSinkFailureAndLeavesNoTrace()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.clef");
        var name = "whole-clef-" + Guid.NewGuid().ToString("n");
        INonBlockingLogInspector sink;
        using (var log = new LoggerConfiguration().WriteTo.NonBlockingFile(path, formatter: new Serilog.Formatting.Compact.CompactJsonFormatter(), name: name).CreateLogger())
        {
            sink = NonBlockingLogSinks.Find(name)!;
            log.Information("first");
            log.Error(new UnprintableException(), "unprintable");
            log.Information("third");
        }

        var s = sink.GetSnapshot();
        Assert.Equal(2, s.Written);
        Assert.Equal(1, s.DroppedByReason[DropReason.SinkFailure]);
        var lines = File.ReadAllLines(path).Where(l => !l.Contains("NonBlockingLog sink", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.EndsWith("}", l));
    }

    sealed class UnprintableException : Exception
    {
        public override string ToString() => throw new InvalidOperationException("no text for you");
    }

    sealed class CustomProvider : IFormatProvider
    {
        public object? GetFormat(Type? formatType) => null;
    }
}
