using System.Text.RegularExpressions;
using NonBlockingLog.Tests.Support;
using Serilog;

namespace NonBlockingLog.Tests.Settings;

/// <summary>The appsettings.json block in README.md works as written (only its log folder is moved to a temp folder).</summary>
public sealed partial class ReadmeExampleTests
{
    [Fact]
    public void ReadmeAppSettingsExample_WhenRead_ConfiguresBothSinksAndWritesThroughThem()
    {
        var json = ReadmeJson();
        Assert.Contains("\"Using\": [ \"NonBlockingLog\" ]", json);

        using var temp = new TempFolder();
        var suffix = Guid.NewGuid().ToString("n");
        json = json.Replace("\"logs/", "\"" + temp.Path.Replace('\\', '/') + "/")
            .Replace("\"name\": \"main\"", $"\"name\": \"main-{suffix}\"")
            .Replace("\"name\": \"file\"", $"\"name\": \"file-{suffix}\"");

        var logger = new LoggerConfiguration().ReadFrom.Configuration(AppSettings.FromJson(json)).CreateLogger();
        var main = NonBlockingLogSinks.Find($"main-{suffix}")!.GetSnapshot();
        var file = NonBlockingLogSinks.Find($"file-{suffix}")!.GetSnapshot();
        Assert.Equal(QueueFullMode.Wait, main.FullMode);
        Assert.Equal(TimeSpan.FromMilliseconds(100), main.WaitTimeout);
        Assert.Equal(1000, file.ReservedForWarnings);

        logger.Information("Hello from the README {Answer}", 42);
        logger.Dispose();

        Assert.Contains("Hello from the README 42", File.ReadAllText(temp.File("app.log")));
        var rolled = Assert.Single(Directory.GetFiles(temp.Path, "app-*.log"));
        Assert.Contains("[INF] Hello from the README 42", File.ReadAllText(rolled));
    }

    [Fact]
    public void ReadmeValidationExample_WhenValidated_ThrowsWhatTheReadmeShows()
    {
        var readme = File.ReadAllText(FindReadme()).ReplaceLineEndings("\n");
        var config = AppSettings.WithSink("""{ "Name": "NonBlockingFile", "Args": { "path": "app.log", "capacty": 5, "waitTimeout": "abc" } }""");

        var thrown = Assert.Throws<InvalidOperationException>(() => NonBlockingLogConfiguration.Validate(config));

        Assert.Contains("```\n" + thrown.Message.ReplaceLineEndings("\n") + "\n```", readme, StringComparison.Ordinal);
    }

    /// <summary>The JSON block under "## appsettings.json" in README.md.</summary>
    internal static string ReadmeJson()
    {
        var readme = File.ReadAllText(FindReadme());
        var section = readme[readme.IndexOf("## appsettings.json", StringComparison.Ordinal)..];
        return JsonBlock().Match(section).Groups[1].Value;
    }

    static string FindReadme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "README.md");
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "NonBlockingLog.sln"))) return candidate;
        }

        throw new FileNotFoundException("README.md beside NonBlockingLog.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("```json\\s*\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
