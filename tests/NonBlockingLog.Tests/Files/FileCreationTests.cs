using System.Text;
using NonBlockingLog.Files;
using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Sinks.File;

namespace NonBlockingLog.Tests.Files;

/// <summary>
/// fileMode holds from the first byte: each file a NonBlockingFile sink writes exists with its mode before
/// Serilog.Sinks.File opens it, first file and rolled ones alike, so that there is no moment at which the file has
/// the process's default permissions (0644 under the usual umask) and another user could open it for good.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileCreationTests
{
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    static readonly Encoding Utf8 = new UTF8Encoding(false);

    static FileWriterOptions Options(string path, RollingInterval interval = RollingInterval.Infinite, long? fileSizeLimitBytes = null,
        bool rollOnFileSizeLimit = false, FileLifecycleHooks? hooks = null) =>
        FileWriterOptions.Create(path, "{Message:lj}{NewLine}", formatter: null, formatProvider: null, interval, fileSizeLimitBytes, rollOnFileSizeLimit,
            retainedFileCountLimit: null, flushToDiskInterval: null, encoding: null, hooks: hooks, fileMode: "0600");

    [UnixFact]
    public void EnsureHeld_BeforeSerilogOpensTheFile_CreatesItWithTheMode()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        var ownership = new FileOwnership(Options(path));
        ownership.AddWriter();

        ownership.EnsureHeld();

        Assert.True(File.Exists(path));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        ownership.RemoveWriter();
    }

    [UnixFact]
    public void EnsureHeld_ForARollingFile_CreatesTheFileOfThePeriodSerilogWillOpen()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app-.log");
        var ownership = new FileOwnership(Options(path, RollingInterval.Day));
        ownership.AddWriter();

        ownership.EnsureHeld();

        var file = tmp.File($"app-{DateTime.Now:yyyyMMdd}.log");
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(file));
        ownership.RemoveWriter();
    }

    [UnixFact]
    public void EnsureHeld_WhenThePeriodHasFilesAlready_CreatesNoneAndLeavesThemAlone()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app-.log");
        var today = $"app-{DateTime.Now:yyyyMMdd}";
        File.WriteAllText(tmp.File(today + ".log"), "first\n");
        File.WriteAllText(tmp.File(today + "_002.log"), "latest\n");
        var ownership = new FileOwnership(Options(path, RollingInterval.Day));
        ownership.AddWriter();

        ownership.EnsureHeld();
        ownership.RemoveWriter();

        Assert.Equal([today + ".log", today + "_002.log"], LogFolder.Files(tmp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    // Through the real sink: the app's hook sees each file closed for a roll, after NonBlockingFile's own hook and
    // before Serilog.Sinks.File opens the next one.
    [UnixFact]
    public void NonBlockingFile_RollingOnSize_TheNextFileExistsWithTheModeBeforeSerilogOpensIt()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        var observer = new RollObserver(tmp.Path);

        using (var log = new LoggerConfiguration()
                   .WriteTo.NonBlockingFile(path, outputTemplate: "{Message}{NewLine}", fileSizeLimitBytes: 10, rollOnFileSizeLimit: true,
                       fileMode: "0600", hooks: observer, name: Some.UniqueName("creation"))
                   .CreateLogger())
        {
            foreach (var message in new[] { "first event", "second event", "third event" }) log.Information(message);
        }

        var opened = observer.Opened;
        Assert.Equal([path, tmp.File("app_001.log"), tmp.File("app_002.log")], opened);
        for (var i = 1; i < opened.Count; i++)
        {
            Assert.True(observer.AtClose[i - 1].TryGetValue(opened[i], out var mode), $"{Path.GetFileName(opened[i])} did not exist when Serilog.Sinks.File closed the file before it");
            Assert.Equal(OwnerOnly, mode);
        }

        // The last file was closed at disposal, for no roll: nothing was created for it.
        Assert.Equal(3, LogFolder.Files(tmp.Path).Length);
        Assert.All(LogFolder.Files(tmp.Path), f => Assert.Equal(OwnerOnly, File.GetUnixFileMode(f)));
    }

    [UnixFact]
    public void Closing_WhenThePeriodHasEnded_CreatesTheNextPeriodsFileWithTheMode()
    {
        using var tmp = new TempFolder();
        var now = new DateTime(2026, 1, 1, 23, 59, 59, DateTimeKind.Local);
        var creation = new FileCreation(tmp.File("app-.log"), RollingInterval.Day, null, false, OwnerOnly, appHooks: null, now: () => now);

        creation.BeforeOpen();
        var first = tmp.File("app-20260101.log");
        using (var stream = Open(creation, first)) stream.Write("line\n"u8);
        Assert.False(File.Exists(tmp.File("app-20260102.log")));

        now = now.AddSeconds(1);
        using (var stream = Open(creation, first))
        {
            Assert.False(File.Exists(tmp.File("app-20260102.log")));
        }

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(tmp.File("app-20260102.log")));
    }

    [UnixFact]
    public void Closing_AFullFile_CreatesTheNextInSequenceWithTheMode()
    {
        using var tmp = new TempFolder();
        var creation = new FileCreation(tmp.File("app.log"), RollingInterval.Infinite, 10, true, OwnerOnly, appHooks: null);
        creation.BeforeOpen();

        using (var stream = Open(creation, tmp.File("app.log"))) stream.Write("nine byte"u8);
        Assert.False(File.Exists(tmp.File("app_001.log")));

        using (var stream = Open(creation, tmp.File("app.log"))) stream.Write("s"u8);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(tmp.File("app_001.log")));
    }

    [UnixFact]
    public void ForgetUnopened_AFileCreatedForAnOpenThatNeverCame_RemovesIt()
    {
        using var tmp = new TempFolder();
        var creation = new FileCreation(tmp.File("app.log"), RollingInterval.Infinite, 10, true, OwnerOnly, appHooks: null);
        creation.BeforeOpen();
        using (var stream = Open(creation, tmp.File("app.log"))) stream.Write("ten bytes!"u8);
        Assert.True(File.Exists(tmp.File("app_001.log")));

        creation.ForgetUnopened();

        Assert.Equal([tmp.File("app.log")], LogFolder.Files(tmp.Path));
    }

    [UnixFact]
    public void OnFileOpened_AnEmptyFileThatWasNotCreatedForIt_IsCountedAsUnforeseen()
    {
        using var tmp = new TempFolder();
        var creation = new FileCreation(tmp.File("app.log"), RollingInterval.Infinite, null, false, OwnerOnly, appHooks: null);
        creation.BeforeOpen();
        Open(creation, tmp.File("app.log")).Dispose();
        Assert.Equal(0, creation.UnforeseenOpens);

        Open(creation, tmp.File("other.log")).Dispose();

        Assert.Equal(1, creation.UnforeseenOpens);
    }

    // Serilog.Sinks.File reads the clock a moment before this does: across a period's end the two can disagree.
    [UnixFact]
    public void OnFileOpened_AnotherFileThanTheOneCreatedForIt_RemovesTheCreatedOneAndCountsTheOpen()
    {
        using var tmp = new TempFolder();
        var now = new DateTime(2026, 1, 1, 23, 59, 59, DateTimeKind.Local);
        var creation = new FileCreation(tmp.File("app-.log"), RollingInterval.Day, 10, true, OwnerOnly, appHooks: null, now: () => now);
        creation.BeforeOpen();
        var first = tmp.File("app-20260101.log");
        using (var stream = Open(creation, first)) stream.Write("ten bytes!"u8);
        now = now.AddSeconds(1);

        // Closed for a roll on size, which this takes for the day's end.
        Open(creation, first).Dispose();
        Assert.True(File.Exists(tmp.File("app-20260102.log")));
        using (Open(creation, tmp.File("app-20260101_001.log")))
        {
            Assert.False(File.Exists(tmp.File("app-20260102.log")));
            Assert.Equal(1, creation.UnforeseenOpens);
        }
    }

    /// <summary>Opens <paramref name="path"/> as Serilog.Sinks.File does, and runs the hooks on it.</summary>
    static Stream Open(FileCreation creation, string path)
    {
        var file = File.Open(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        file.Seek(0, SeekOrigin.End);
        return creation.OnFileOpened(path, file, Utf8);
    }

    /// <summary>An app's hook: records each file opened, and the folder's files and their modes whenever one is closed.</summary>
    sealed class RollObserver(string folder) : FileLifecycleHooks
    {
        public List<string> Opened { get; } = [];

        public List<Dictionary<string, UnixFileMode>> AtClose { get; } = [];

        public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding)
        {
            Opened.Add(path);
            return new ClosingStream(underlyingStream, () => AtClose.Add(LogFolder.Files(folder).ToDictionary(f => f, File.GetUnixFileMode)));
        }
    }

    sealed class ClosingStream(Stream inner, Action closed) : WriteThroughStream(inner)
    {
        protected override void OnClosing() => closed();
    }
}
