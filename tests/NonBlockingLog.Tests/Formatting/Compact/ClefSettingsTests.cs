namespace NonBlockingLog.Tests.Formatting.Compact;

/// <summary>
/// The appsettings validator accepts the formatters this feature is for: the two CLEF formatters by type name, and
/// ExpressionTemplate as an object with its type and template; and still names a formatter it cannot create.
/// </summary>
public class ClefSettingsTests
{
    [Theory]
    [InlineData("\"Serilog.Formatting.Compact.CompactJsonFormatter, Serilog.Formatting.Compact\"")]
    [InlineData("\"Serilog.Formatting.Compact.RenderedCompactJsonFormatter, Serilog.Formatting.Compact\"")]
    [InlineData("""{ "type": "Serilog.Templates.ExpressionTemplate, Serilog.Expressions", "template": "{ {@t, @mt, @l, @x, ..@p} }\n" }""")]
    public void FindProblems_FormatterForJsonLines_FindsNone(string formatter)
    {
        Assert.Empty(NonBlockingLogConfiguration.FindProblems(WithFormatter(formatter)));
    }

    [Theory]
    [InlineData("\"Serilog.Formatting.Compact.CompactJsonFormat, Serilog.Formatting.Compact\"", "type \"Serilog.Formatting.Compact.CompactJsonFormat, Serilog.Formatting.Compact\" was not found.")]
    [InlineData("\"Serilog.Templates.ExpressionTemplate, Serilog.Expressions\"", "Serilog.Templates.ExpressionTemplate has no parameterless constructor.")]
    public void FindProblems_FormatterItCannotCreate_NamesIt(string formatter, string ending)
    {
        var problem = Assert.Single(NonBlockingLogConfiguration.FindProblems(WithFormatter(formatter)));

        Assert.Equal("Serilog:WriteTo:0:Args:formatter", problem.Path);
        Assert.StartsWith("formatter must name a type that implements ITextFormatter and has a parameterless constructor", problem.Message);
        Assert.EndsWith(ending, problem.Message);
    }

    static Microsoft.Extensions.Configuration.IConfiguration WithFormatter(string formatter) => ClefTestFiles.Settings($$"""
        {
          "Serilog": {
            "Using": [ "NonBlockingLog", "Serilog.Expressions" ],
            "WriteTo": [ { "Name": "NonBlockingFile", "Args": { "path": "logs/app.json", "formatter": {{formatter}} } } ]
          }
        }
        """);
}
