using NonBlockingLog.Tests.Support;
using Serilog;

namespace NonBlockingLog.Tests.Consumption;

/// <summary>
/// WriteTo.NonBlocking(configure, escapeControlCharacters: true): the wrapped sink gets the escaped copy of each
/// event, and a failure it reports about that copy is a failure of the event, not a write.
/// </summary>
public sealed class SinkBatchWriterEscapingTests
{
    const string Forgery = "alice\r\n2026-01-01 00:00:00.000 +00:00 [ERR] Admin: forged";

    [Fact]
    public void NonBlockingWrappingFile_WithEscaping_WritesNoLineBreakOfAPropertyValue()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        using (var log = new LoggerConfiguration()
                   .WriteTo.NonBlocking(to => to.File(path, outputTemplate: "{Timestamp:yyyy-MM-dd} [{Level:u3}] {Message:lj} {Properties}{NewLine}"),
                       escapeControlCharacters: true, name: Some.UniqueName("escape"))
                   .CreateLogger())
        {
            for (var i = 0; i < 3; i++) log.ForContext("Agent", "curl\n[ERR] forged").Information("Login {Number} by {User}", i, Forgery);
        }

        var text = File.ReadAllText(path);
        Assert.DoesNotContain('\r', text);
        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => Assert.Contains("alice\\r\\n2026-01-01 00:00:00.000 +00:00 [ERR] Admin: forged", l, StringComparison.Ordinal));
    }

    // Serilog.Sinks.File 7 reports an event past fileSizeLimitBytes to its failure listener, naming the event it was
    // given: with escaping on, that is the escaped copy, and it must still count as a sink failure, not as written.
    [Fact]
    public void NonBlockingWrappingFile_WithEscapingEventsPastTheSizeLimit_CountAsSinkFailuresNotWritten()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        var name = Some.UniqueName("escape");
        INonBlockingLogInspector sink;
        using (var log = new LoggerConfiguration()
                   .WriteTo.NonBlocking(to => to.File(path, outputTemplate: "{Message:lj}{NewLine}", fileSizeLimitBytes: 100), escapeControlCharacters: true, name: name)
                   .CreateLogger())
        {
            sink = NonBlockingLogSinks.Find(name)!;
            for (var i = 0; i < 20; i++) log.Information("line {Number:00} by {User}", i, "a\nb");
        }

        var s = sink.GetSnapshot();
        var lines = File.ReadAllLines(path);
        Assert.InRange(lines.Length, 1, 19);
        Assert.All(lines, l => Assert.EndsWith("by a\\nb", l, StringComparison.Ordinal));
        Assert.Equal(lines.Length, s.Written);
        Assert.Equal(20 - lines.Length, s.DroppedByReason[DropReason.SinkFailure]);
        Some.AssertAccounted(20, s);
    }
}
