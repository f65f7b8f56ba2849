using System.Text;
using System.Text.RegularExpressions;
using NonBlockingLog.Tests.Support;
using Serilog;

namespace NonBlockingLog.Tests.Files;

/// <summary>NonBlockingFile rolling on size: nothing lost or split between files, retention honoured, exact accounting.</summary>
public class FileRollingTests
{
    const int Emitted = 200;
    const long FileSizeLimitBytes = 1000;
    const string Padding = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
    static readonly Regex Line = new($"^Event (\\d{{5}}) {Padding}$");
    static readonly int LineBytes = Encoding.UTF8.GetByteCount($"Event 00000 {Padding}{Environment.NewLine}");

    [Fact]
    public void NonBlockingFile_RollingOnSize_KeepsEveryEventOnceAndInOrderAcrossFiles()
    {
        using var tmp = new TempFolder();

        var snapshot = LogAndDispose(tmp, retainedFileCountLimit: null);

        var files = RolledFiles(tmp);
        Assert.True(files.Length >= 5, $"expected several files, found {files.Length}");
        Assert.Equal(Emitted, snapshot.Written);
        Assert.Equal(0, snapshot.Dropped);
        Assert.Equal(Enumerable.Range(0, Emitted), files.SelectMany(NumbersIn));

        // Serilog.Sinks.File rolls once a file has reached the limit, so each full file holds at most one line
        // beyond it; counting must see the bytes as they are written, not when the batch is flushed.
        Assert.All(files[..^1], f => Assert.InRange(new FileInfo(f).Length, FileSizeLimitBytes, FileSizeLimitBytes + LineBytes - 1));
    }

    [Fact]
    public void NonBlockingFile_RollingWithRetainedFileCountLimit_KeepsNewestFilesWithCompleteLines()
    {
        using var tmp = new TempFolder();

        var snapshot = LogAndDispose(tmp, retainedFileCountLimit: 3);

        var files = RolledFiles(tmp);
        Assert.Equal(3, files.Length);
        Assert.Equal(Emitted, snapshot.Written);
        Assert.Equal(0, snapshot.Dropped);

        // What remains is the newest events, without a gap; what is gone went with whole deleted files.
        var remaining = files.SelectMany(NumbersIn).ToList();
        var deleted = remaining[0];
        Assert.Equal(Enumerable.Range(deleted, remaining.Count), remaining);
        Assert.Equal(snapshot.Written - deleted, remaining.Count);
        Assert.Equal(Emitted - 1, remaining[^1]);
    }

    static NonBlockingLogSnapshot LogAndDispose(TempFolder tmp, int? retainedFileCountLimit)
    {
        var name = Some.UniqueName("rolling");
        INonBlockingLogInspector sink;
        using (var log = new LoggerConfiguration()
            .WriteTo.NonBlockingFile(tmp.File("app.log"), outputTemplate: "{Message:lj}{NewLine}",
                fileSizeLimitBytes: FileSizeLimitBytes, rollOnFileSizeLimit: true, retainedFileCountLimit: retainedFileCountLimit,
                capacity: 10_000, name: name)
            .CreateLogger())
        {
            sink = NonBlockingLogSinks.Find(name)!;
            for (var i = 0; i < Emitted; i++) log.Information("Event {Number:D5} " + Padding, i);
        }

        return sink.GetSnapshot();
    }

    // app.log, app_001.log, app_002.log, ... in the order they were written.
    static string[] RolledFiles(TempFolder tmp) =>
        LogFolder.Files(tmp.Path)
            .OrderBy(f => Regex.Match(Path.GetFileName(f), @"^app(?:_(\d{3}))?\.log$") is { Success: true } m
                ? (m.Groups[1].Success ? int.Parse(m.Groups[1].Value) : 0)
                : throw new InvalidOperationException($"unexpected file {f}"))
            .ToArray();

    static IEnumerable<int> NumbersIn(string file)
    {
        var text = File.ReadAllText(file);
        Assert.EndsWith(Environment.NewLine, text);
        var lines = text[..^Environment.NewLine.Length].Split(Environment.NewLine);
        return lines.Select(l =>
        {
            var match = Line.Match(l);
            Assert.True(match.Success, $"incomplete or foreign line in {Path.GetFileName(file)}: '{l}'");
            return int.Parse(match.Groups[1].Value);
        }).ToList();
    }
}
