using NonBlockingLog.Tests.Support;
using Serilog;

namespace NonBlockingLog.Tests.Sinks;

public sealed class FileRecoveryTests
{
    [Fact]
    public void NonBlockingFile_WhenLogDirectoryIsDeletedMidRun_ReopensAndKeepsLogging()
    {
        using var temp = new TempFolder();
        var dir = temp.File("logs");
        var path = Path.Combine(dir, "app.log");
        var name = "recovery-" + Guid.NewGuid().ToString("n");
        var logger = new LoggerConfiguration()
            .WriteTo.NonBlockingFile(path, outputTemplate: "{Message:lj}{NewLine}", name: name)
            .CreateLogger();
        var inspector = NonBlockingLogSinks.Find(name)!;

        for (var i = 0; i < 10; i++) logger.Information("before {N}", i);
        Some.Eventually(() => inspector.GetSnapshot().Written == 10, "the first events are written");
        Directory.Delete(dir, recursive: true);

        for (var i = 0; i < 10; i++) logger.Information("after {N}", i);
        logger.Dispose();

        var lines = File.ReadAllLines(path);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"after {i}"), lines);
        var s = inspector.GetSnapshot();
        Assert.Equal(20, s.Written);
        Some.AssertAccounted(20, s);
    }

    [Fact]
    public void NonBlockingFile_WhenPathCannotBeOpened_RetriesAndCountsTheRestAtShutdown()
    {
        using var temp = new TempFolder();
        var blocker = temp.File("afile");
        File.WriteAllText(blocker, "a file where a directory should be");
        var name = "unopenable-" + Guid.NewGuid().ToString("n");
        var logger = new LoggerConfiguration()
            .WriteTo.NonBlockingFile(Path.Combine(blocker, "x.log"), name: name, shutdownTimeout: TimeSpan.FromMilliseconds(300))
            .CreateLogger();
        var inspector = NonBlockingLogSinks.Find(name)!;

        for (var i = 0; i < 5; i++) logger.Information("event {N}", i);
        Some.Eventually(() => inspector.GetSnapshot().Phase == ConsumerPhase.BackingOff, "the consumer backs off");
        Assert.NotNull(inspector.GetSnapshot().LastError);
        logger.Dispose();

        var s = inspector.GetSnapshot();
        Assert.Equal(0, s.Written);
        Assert.Equal(5, s.DroppedByReason[DropReason.ShutdownTimeout]);
        Some.AssertAccounted(5, s);
    }
}
