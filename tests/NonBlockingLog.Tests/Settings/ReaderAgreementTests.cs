using NonBlockingLog.Tests.Support;
using Serilog;

namespace NonBlockingLog.Tests.Settings;

/// <summary>
/// FindProblems against Serilog.Settings.Configuration itself, value by value: it reports a problem exactly when
/// ReadFrom.Configuration fails, so that validating at startup never rejects what the reader accepts, and never
/// lets through what would fail it. (What the reader silently ignores, such as an unknown key, is tested apart.)
/// </summary>
public sealed class ReaderAgreementTests
{
    public static TheoryData<string, string, string> Values => new()
    {
        { "NonBlockingFile", "capacity", "1" },
        { "NonBlockingFile", "capacity", "\" 5 \"" },
        { "NonBlockingFile", "capacity", "\"+5\"" },
        { "NonBlockingFile", "capacity", "0" },
        { "NonBlockingFile", "capacity", "-1" },
        { "NonBlockingFile", "capacity", "1.5" },
        { "NonBlockingFile", "capacity", "\"1e3\"" },
        { "NonBlockingFile", "capacity", "\"\"" },
        { "NonBlockingFile", "capacity", "null" },
        { "NonBlockingFile", "capacity", "\"abc\"" },
        { "NonBlockingFile", "capacity", "99999999999" },
        { "NonBlockingFile", "fullMode", "\"wait\"" },
        { "NonBlockingFile", "fullMode", "\"DROPOLDEST\"" },
        { "NonBlockingFile", "fullMode", "\" Wait \"" },
        { "NonBlockingFile", "fullMode", "\"1\"" },
        { "NonBlockingFile", "fullMode", "\"42\"" },
        { "NonBlockingFile", "fullMode", "\"Wait, DropOldest\"" },
        { "NonBlockingFile", "fullMode", "\"Sometimes\"" },
        { "NonBlockingFile", "fullMode", "\"\"" },
        { "NonBlockingFile", "waitTimeout", "\"00:00:01\"" },
        { "NonBlockingFile", "waitTimeout", "\"1\"" },
        { "NonBlockingFile", "waitTimeout", "\"\"" },
        { "NonBlockingFile", "waitTimeout", "null" },
        { "NonBlockingFile", "waitTimeout", "\"abc\"" },
        { "NonBlockingFile", "waitTimeout", "\"00:00:00\"" },
        { "NonBlockingFile", "waitTimeout", "\"-00:00:01\"" },
        { "NonBlockingFile", "waitTimeout", "\"30.00:00:00\"" },
        { "NonBlockingFile", "stallTimeout", "\"30\"" },
        { "NonBlockingFile", "batchSizeLimit", "0" },
        { "NonBlockingFile", "reservedForWarnings", "10000" },
        { "NonBlockingFile", "path", "\"\"" },
        { "NonBlockingFile", "path", "null" },
        { "NonBlockingFile", "outputTemplate", "\"\"" },
        { "NonBlockingFile", "outputTemplate", "\"{Message}\"" },
        { "NonBlockingFile", "fileSizeLimitBytes", "null" },
        { "NonBlockingFile", "fileSizeLimitBytes", "\"\"" },
        { "NonBlockingFile", "fileSizeLimitBytes", "1" },
        { "NonBlockingFile", "fileSizeLimitBytes", "0" },
        { "NonBlockingFile", "fileSizeLimitBytes", "\"x\"" },
        { "NonBlockingFile", "rollOnFileSizeLimit", "true" },
        { "NonBlockingFile", "rollOnFileSizeLimit", "\"True\"" },
        { "NonBlockingFile", "rollOnFileSizeLimit", "\"yes\"" },
        { "NonBlockingFile", "rollOnFileSizeLimit", "1" },
        { "NonBlockingFile", "retainedFileCountLimit", "null" },
        { "NonBlockingFile", "retainedFileCountLimit", "0" },
        { "NonBlockingFile", "retainedFileCountLimit", "5" },
        { "NonBlockingFile", "rollingInterval", "\"day\"" },
        { "NonBlockingFile", "rollingInterval", "\"42\"" },
        { "NonBlockingFile", "rollingInterval", "\"Weekly\"" },
        { "NonBlockingFile", "flushToDiskInterval", "\"00:00:00\"" },
        { "NonBlockingFile", "flushToDiskInterval", "\"00:00:01\"" },
        { "NonBlockingFile", "restrictedToMinimumLevel", "\"warning\"" },
        { "NonBlockingFile", "restrictedToMinimumLevel", "\"Loud\"" },
        { "NonBlockingFile", "formatter", "\"Serilog.Formatting.Json.JsonFormatter, Serilog\"" },
        { "NonBlockingFile", "formatter", "\"Serilog.Formatting.Display.MessageTemplateTextFormatter, Serilog\"" },
        { "NonBlockingFile", "formatter", "\"No.Such.Formatter\"" },
        { "NonBlockingFile", "formatter", "\"System.Text.UTF8Encoding\"" },
        { "NonBlockingFile", "formatter", "\"\"" },
        { "NonBlockingFile", "encoding", "\"System.Text.UTF8Encoding\"" },
        { "NonBlockingFile", "encoding", "\"utf-8\"" },
        { "NonBlockingFile", "name", "\"\"" },
        { "NonBlockingFile", "name", "\"  \"" },
        { "NonBlockingFile", "levelSwitch", "\"$declared\"" },
        { "NonBlockingFile", "levelSwitch", "\"$plain\"" },
        { "NonBlockingFile", "levelSwitch", "\"plain\"" },
        { "NonBlockingFile", "levelSwitch", "\"$undeclared\"" },
        { "NonBlocking", "configure", "\"Console\"" },
        { "NonBlocking", "configure", "[]" },
        { "NonBlocking", "configure", "[ { \"Name\": \"Collecting\", \"Args\": { \"key\": \"unused\" } } ]" },
        { "NonBlocking", "capacity", "\"many\"" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void FindProblems_ForOneValue_ReportsAProblemExactlyWhenTheReaderFails(string method, string key, string json)
    {
        using var tmp = new TempFolder();
        var required = method == "NonBlocking"
            ? """ "configure": [ { "Name": "Collecting", "Args": { "key": "unused" } } ] """
            : $""" "path": {AppSettings.Quote(tmp.File("app.log"))} """;
        var args = key is "configure" or "path" ? $"\"{key}\": {json}" : $"{required}, \"{key}\": {json}";
        var config = AppSettings.FromJson($$"""
            {
              "Serilog": {
                "Using": [ "NonBlockingLog", "NonBlockingLog.Tests" ],
                "LevelSwitches": { "$declared": "Information", "plain": "Warning" },
                "WriteTo": [ { "Name": "{{method}}", "Args": { {{args}} } } ]
              }
            }
            """);

        var problems = NonBlockingLogConfiguration.FindProblems(config);
        var thrown = Record.Exception(() => new LoggerConfiguration().ReadFrom.Configuration(config).CreateLogger().Dispose());

        Assert.True(problems.Count > 0 == thrown is not null,
            $"FindProblems: [{string.Join("; ", problems)}]; the reader: {thrown?.GetBaseException().Message ?? "accepted it"}");
        Assert.All(problems, p => Assert.Equal($"Serilog:WriteTo:0:Args:{key}", p.Path));
    }
}
