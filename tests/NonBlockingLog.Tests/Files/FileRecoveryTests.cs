using NonBlockingLog.Tests.Support;
using Serilog;

namespace NonBlockingLog.Tests.Files;

public sealed class FileRecoveryTests
{
    [Fact]
    public void NonBlockingFile_WhenLogDirectoryIsDeletedMidRun_ReopensAndKeepsLogging()
    {
        using var temp = new TempFolder();
        var dir = temp.File("logs");
        var path = Path.Combine(dir, "app.log");
        var name = Some.UniqueName("recovery");
        var logger = new LoggerConfiguration()
            .WriteTo.NonBlockingFile(path, outputTemplate: "{Message:lj}{NewLine}", name: name)
            .CreateLogger();
        var inspector = NonBlockingLogSinks.Find(name)!;

        for (var i = 0; i < 10; i++) logger.Information("before {N}", i);
        Wait.Until(() => inspector.GetSnapshot().Written == 10, "the first events are written");
        Directory.Delete(dir, recursive: true);

        for (var i = 0; i < 10; i++) logger.Information("after {N}", i);
        logger.Dispose();

        var lines = File.ReadAllLines(path);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"after {i}"), lines);
        var s = inspector.GetSnapshot();
        Assert.Equal(20, s.Written);
        Some.AssertAccounted(20, s);
    }
}
