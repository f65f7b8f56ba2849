using System.Text;
using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Sinks.File;

namespace NonBlockingLog.Tests.Files;

/// <summary>Every Serilog.Sinks.File setting of NonBlockingFile either works or fails at configuration time, and the files are no more open than they must be.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileSettingsTests
{
    static string Name() => "settings-" + Guid.NewGuid().ToString("n");

    static void Log(Func<Serilog.Configuration.LoggerSinkConfiguration, LoggerConfiguration> writeTo, params string[] messages)
    {
        using var log = writeTo(new LoggerConfiguration().WriteTo).CreateLogger();
        foreach (var message in messages) log.Information(message);
    }

    [UnixFact]
    public void FileMode_ByDefault_CreatesFilesOwnerReadWriteGroupReadAndFoldersToMatch()
    {
        using var tmp = new TempFolder();
        var path = Path.Combine(tmp.Path, "new", "app.log");

        Log(to => to.NonBlockingFile(path, name: Name()), "hello");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute,
            File.GetUnixFileMode(Path.GetDirectoryName(path)!));
    }

    [UnixFact]
    public void FileMode_WhenSet_AppliesToEveryRolledFile()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");

        Log(to => to.NonBlockingFile(path, outputTemplate: "{Message}{NewLine}", fileSizeLimitBytes: 10, rollOnFileSizeLimit: true, fileMode: "0600", name: Name()),
            "first event", "second event", "third event");

        var files = LogFolder.Files(tmp.Path);
        Assert.True(files.Length >= 3);
        Assert.All(files, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
    }

    [UnixFact]
    public void FileMode_OfAnExistingFileWithLines_IsLeftAlone()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        File.WriteAllText(path, "an earlier line\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        Log(to => to.NonBlockingFile(path, name: Name()), "hello");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
    }

    [Theory]
    [InlineData("999", "fileMode must be an octal permission")]
    [InlineData("rw-r-----", "fileMode must be an octal permission")]
    [InlineData("0400", "fileMode must let the owner read and write")]
    public void FileMode_Invalid_FailsAtConfigurationNamingTheSetting(string mode, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => new LoggerConfiguration().WriteTo.NonBlockingFile("logs/app.log", fileMode: mode, name: Name()));
        Assert.Equal("fileMode", error.ParamName);
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void Shared_FailsAtConfigurationSayingWhatToDoInstead()
    {
        var error = Assert.Throws<ArgumentException>(() => new LoggerConfiguration().WriteTo.NonBlockingFile("logs/app.log", shared: true, name: Name()));
        Assert.Equal("shared", error.ParamName);
        Assert.Contains("WriteTo.NonBlocking(to => to.File(path, shared: true))", error.Message);
    }

    [Fact]
    public void Shared_FromAppSettings_IsReportedByTheValidator()
    {
        var config = AppSettings.WithSink("""{ "Name": "NonBlockingFile", "Args": { "path": "logs/app.log", "shared": true } }""");
        var problem = Assert.Single(NonBlockingLogConfiguration.FindProblems(config));
        Assert.EndsWith(":Args:shared", problem.Path);
    }

    [Fact]
    public void Buffered_IsAcceptedAndWritesEveryEvent()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        Log(to => to.NonBlockingFile(path, outputTemplate: "{Message}{NewLine}", buffered: true, name: Name()), "a", "b");
        Assert.Equal(["a", "b"], File.ReadAllLines(path));
    }

    [Fact]
    public void Hooks_WriteAHeaderOnEachNewFileAndHearOfRetentionDeletes()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        var hooks = new HeaderHooks();

        Log(to => to.NonBlockingFile(path, outputTemplate: "{Message}{NewLine}", fileSizeLimitBytes: 30, rollOnFileSizeLimit: true,
                retainedFileCountLimit: 2, hooks: hooks, name: Name()),
            "first event", "second event", "third event", "fourth event", "fifth event", "sixth event", "seventh event", "eighth event");

        var files = LogFolder.Files(tmp.Path);
        Assert.Equal(2, files.Length);
        Assert.All(files, f => Assert.StartsWith("# header", File.ReadAllText(f)));
        Assert.NotEmpty(hooks.Deleted);
        Assert.All(hooks.Deleted, d => Assert.False(File.Exists(d)));
    }

    [Fact]
    public void RetainedFileTimeLimit_NotPositive_FailsAtConfiguration()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LoggerConfiguration().WriteTo.NonBlockingFile("logs/app.log", retainedFileTimeLimit: TimeSpan.Zero, name: Name()));
        Assert.Equal("retainedFileTimeLimit", error.ParamName);
    }

    // Two writers on one file made both count their events written while each overwrote the other's lines. The
    // second one now cannot take the file: its events stay pending (an outage), never counted written.
    [Fact]
    public void SecondSinkOnTheSamePath_NeverWritesAndNeverCountsWritten()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        var firstName = Name();
        var secondName = Name();
        using var first = new LoggerConfiguration().WriteTo.NonBlockingFile(path, outputTemplate: "{Message}{NewLine}", name: firstName).CreateLogger();
        var second = new LoggerConfiguration().WriteTo.NonBlockingFile(path, outputTemplate: "{Message}{NewLine}", name: secondName, shutdownTimeout: TimeSpan.FromMilliseconds(200)).CreateLogger();
        var secondSink = NonBlockingLogSinks.Find(secondName)!;

        first.Information("from the first");
        Wait.Until(() => NonBlockingLogSinks.Find(firstName)!.GetSnapshot().Written == 1, "the first sink writes");
        second.Information("from the second");
        Wait.Until(() => secondSink.GetSnapshot().Phase == ConsumerPhase.BackingOff, "the second sink finds the file taken");
        Assert.Contains("is being written by another NonBlockingFile sink", secondSink.GetSnapshot().LastError);
        second.Dispose();
        first.Information("again from the first");
        first.Dispose();

        var s = secondSink.GetSnapshot();
        Assert.Equal(0, s.Written);
        Assert.Equal(1, s.DroppedByReason[DropReason.ShutdownTimeout]);
        Assert.Equal(["from the first", "again from the first"], File.ReadAllLines(path).Where(l => !l.StartsWith("NonBlockingLog sink", StringComparison.Ordinal)));
    }

    [Fact]
    public void SameSinkAfterTheFirstIsDisposed_TakesTheFileOver()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        Log(to => to.NonBlockingFile(path, outputTemplate: "{Message}{NewLine}", name: Name()), "one");
        Log(to => to.NonBlockingFile(path, outputTemplate: "{Message}{NewLine}", name: Name()), "two");
        Assert.Equal(["one", "two"], File.ReadAllLines(path));
    }

    sealed class HeaderHooks : FileLifecycleHooks
    {
        public List<string> Deleted { get; } = [];

        public override Stream OnFileOpened(string path, Stream underlyingStream, Encoding encoding)
        {
            if (underlyingStream.Length == 0)
            {
                var header = encoding.GetBytes("# header\n");
                underlyingStream.Write(header, 0, header.Length);
            }

            return underlyingStream;
        }

        public override void OnFileDeleting(string path) => Deleted.Add(path);
    }
}
