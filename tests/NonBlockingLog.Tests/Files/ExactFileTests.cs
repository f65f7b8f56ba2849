using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Consumption;
using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Tests.Files;

/// <summary>
/// The file is exact: every event counted written is in it once, as one whole line, and nothing else, whatever
/// happened to the disk or to an earlier process.
/// </summary>
public sealed partial class ExactFileTests
{
    static readonly MessageTemplate Template = new MessageTemplateParser().Parse("Event {Number} {Padding}");

    [GeneratedRegex(@"^Event (\d+) x{200}$")]
    private static partial Regex WholeLine();

    static LogEvent Event(int number) => new(DateTimeOffset.UtcNow, LogEventLevel.Information, null, Template,
        [new LogEventProperty("Number", new ScalarValue(number)), new LogEventProperty("Padding", new ScalarValue(new string('x', 200)))]);

    // The fake clock jumps whole backoffs at a time, which must not pass for a stall: this test is about outages.
    static NonBlockingSink FileSink(string path, TimeProvider time) =>
        TestSinks.CreateOverFile(Some.FileOptions(path, "{Message:l}{NewLine}"),
            Some.Options(time: time, fullMode: QueueFullMode.Wait, waitTimeout: TimeSpan.FromSeconds(30), shutdownTimeout: TimeSpan.FromSeconds(20),
                stallTimeout: TimeSpan.FromDays(1)));

    // A real full disk in the middle of batches larger than what is left: parts of a batch reach the file (a 64 KB
    // pass-down, a write the kernel cuts short) before ENOSPC. After space comes back, the batch is written again
    // in full, so without the rollback the file held those parts twice, and a torn line.
    [TmpfsFact]
    public async Task Outage_OnARealFullDisk_EveryWrittenEventIsInTheFileOnceAndWhole()
    {
        using var disk = new Tmpfs(1024 * 1024);
        var filler = disk.File("filler.bin");
        File.WriteAllBytes(filler, new byte[900 * 1024]);
        var path = disk.File("app.log");
        var time = new FakeTimeProvider();
        var sink = FileSink(path, time);
        const int events = 2_000; // about 430 KB of lines, against about 100 KB of room
        var producer = Task.Factory.StartNew(() => { for (var i = 0; i < events; i++) sink.Emit(Event(i)); }, TaskCreationOptions.LongRunning);
        Wait.Until(() => sink.Supervisor.Current.Phase == ConsumerPhase.BackingOff, "the disk fills up and the consumer backs off");

        // Room is back: the consumer's backoff ends at once, and so would any later one.
        File.Delete(filler);
        bool Done() => producer.IsCompleted && sink.GetSnapshot().Pending == 0;
        for (var retries = 0; !Done(); retries++)
        {
            Assert.True(retries < 20, "the consumer keeps failing although the disk has room again");
            Wait.Until(() => Done() || sink.Supervisor.Current.Phase == ConsumerPhase.BackingOff, "the consumer backs off or has written everything");
            if (!Done()) sink.RetryNow(time);
        }

        await producer.WaitAsync(Wait.HangGuard);
        sink.Dispose();

        var s = sink.GetSnapshot();
        var lines = File.ReadAllLines(path).Where(l => !l.StartsWith("NonBlockingLog sink", StringComparison.Ordinal)).ToArray();
        Assert.All(lines, line => Assert.Matches(WholeLine(), line));
        var numbers = lines.Select(l => int.Parse(WholeLine().Match(l).Groups[1].Value)).ToArray();
        Assert.Equal(numbers.Length, numbers.Distinct().Count());
        Assert.Equal(s.Written, numbers.Length);
        Some.AssertAccounted(events, s);
    }

    [Fact]
    public void Open_AFileWithATornLastLine_StartsTheFirstEventOnANewLine()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        File.WriteAllText(path, "Event 1 from a process killed in mid-wri");

        using (var log = new LoggerConfiguration().WriteTo.NonBlockingFile(path, outputTemplate: "{Message:l}{NewLine}", name: Some.UniqueName("torn")).CreateLogger())
        {
            log.Information("Event {Number}", 2);
            log.Information("Event {Number}", 3);
        }

        Assert.Equal(["Event 1 from a process killed in mid-wri", "Event 2", "Event 3"], File.ReadAllLines(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Event 1\n")]
    public void Open_AFileThatEndsWholeOrIsEmpty_AddsNothing(string existing)
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        File.WriteAllText(path, existing);

        using (var log = new LoggerConfiguration().WriteTo.NonBlockingFile(path, outputTemplate: "{Message:l}{NewLine}", name: Some.UniqueName("whole")).CreateLogger())
        {
            log.Information("Event {Number}", 2);
        }

        Assert.Equal(existing + "Event 2\n", File.ReadAllText(path));
    }

    [Fact]
    public void Open_AUtf16FileWithATornLastLine_StartsOnANewLineInThatEncoding()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        var encoding = new UnicodeEncoding(bigEndian: false, byteOrderMark: false);
        File.WriteAllText(path, "torn", encoding);

        using (var log = new LoggerConfiguration().WriteTo.NonBlockingFile(path, outputTemplate: "{Message:l}{NewLine}", encoding: encoding, name: Some.UniqueName("utf16")).CreateLogger())
        {
            log.Information("whole");
        }

        Assert.Equal("torn\nwhole\n", File.ReadAllText(path, encoding));
    }

    // Shutdown in the middle of a long backoff after an outage (the issue's case: attempt 7, next try in about 6 s,
    // against a 5 s shutdownTimeout) must not wait for the backoff: the destination may well have healed.
    [Fact]
    public async Task Dispose_DuringALongOutageBackoff_RetriesAtOnceAndWritesEverything()
    {
        var time = new FakeTimeProvider();
        var inner = new CollectingSink();
        var name = Some.UniqueName("backoff");
        var sink = TestSinks.Create(inner, Some.Options(time: time, name: name, shutdownTimeout: TimeSpan.FromSeconds(20)));
        NonBlockingLogSinks.RunFaultDrill(name, FaultDrill.DiskFull);
        for (var i = 0; i < 3; i++) sink.Emit(Some.Event(i));
        for (var attempt = 1; attempt < 7; attempt++)
        {
            Wait.Until(() => sink.Supervisor.Current.Phase == ConsumerPhase.BackingOff, "the consumer backs off");
            sink.RetryNow(time);
        }

        Wait.Until(() => sink.Supervisor.Current.Phase == ConsumerPhase.BackingOff, "the consumer backs off a seventh time");

        NonBlockingLogSinks.RunFaultDrill(name, FaultDrill.Heal);
        await sink.DisposeWithinHangGuardAsync();

        var s = sink.GetSnapshot();
        Assert.Equal(3, s.Written);
        Assert.Equal(0, s.Dropped);
        Assert.Equal([0, 1, 2], inner.CallerNumbers);
    }
}
