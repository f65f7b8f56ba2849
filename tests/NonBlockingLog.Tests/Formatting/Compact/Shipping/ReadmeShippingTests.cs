using System.Text.Json;
using System.Text.RegularExpressions;
using NonBlockingLog.Formatting.Compact;
using Serilog;

namespace NonBlockingLog.Tests.Formatting.Compact.Shipping;

/// <summary>README's "JSON lines and log shippers" is true as written: its appsettings.json block writes CLEF through ClefFormatter, and its rsyslog configuration is the one the shipping test runs.</summary>
public partial class ReadmeShippingTests
{
    const string Heading = "## JSON lines and log shippers";

    [Fact]
    public void ReadmeJsonLinesExample_WritesClefThroughClefFormatter()
    {
        using var files = new ClefTestFiles();
        var suffix = Guid.NewGuid().ToString("n");
        var json = Blocks("json")[0]
            .Replace("\"logs/", "\"" + files.Folder.Replace('\\', '/') + "/", StringComparison.Ordinal)
            .Replace("\"name\": \"json\"", $"\"name\": \"json-{suffix}\"", StringComparison.Ordinal);

        using (var log = new LoggerConfiguration().ReadFrom.Configuration(ClefTestFiles.Settings(json)).CreateLogger())
        {
            Assert.False(Assert.IsType<ClefFormatter>(ClefTestFiles.FormatterOf($"json-{suffix}")).IsRendered);
            log.Information("Request {RequestId} served in {Elapsed} ms", 42, 12.5);
        }

        var file = Assert.Single(Directory.GetFiles(files.Folder, "app-*.json"));
        var line = JsonDocument.Parse(Assert.Single(File.ReadAllLines(file))).RootElement;
        Assert.Equal("Request {RequestId} served in {Elapsed} ms", line.GetProperty("@mt").GetString());
        Assert.Equal(42, line.GetProperty("RequestId").GetInt32());
    }

    [Fact]
    public void ReadmeRsyslogConfiguration_IsTheOneTheShippingTestRuns()
    {
        var shown = Blocks("").Single(b => b.Contains("imfile", StringComparison.Ordinal));

        var tested = Rsyslog.Configuration("/var/lib/rsyslog-app", "/srv/app/logs", "/var/log/shipped/app-events.json", "/var/log/shipped/app-unparsed.log");

        Assert.Equal(tested.ReplaceLineEndings("\n").Trim(), shown.Trim());
    }

    // The fenced blocks of the section with the given language ("" for none), in order.
    static List<string> Blocks(string language)
    {
        var readme = File.ReadAllText(FindReadme()).ReplaceLineEndings("\n");
        var start = readme.IndexOf("\n" + Heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no heading {Heading}");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return [.. Block().Matches(readme[start..end]).Where(m => m.Groups["language"].Value == language).Select(m => m.Groups["code"].Value)];
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

    [GeneratedRegex(@"^```(?<language>\w*)\n(?<code>.*?)\n```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Block();
}
