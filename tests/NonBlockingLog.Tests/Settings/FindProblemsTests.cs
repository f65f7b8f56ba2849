using Microsoft.Extensions.Configuration;
using NonBlockingLog.Tests.Support;
using Serilog;

namespace NonBlockingLog.Tests.Settings;

/// <summary>
/// NonBlockingLogConfiguration.FindProblems and Validate on appsettings JSON: every NonBlocking/NonBlockingFile
/// entry, wherever Serilog.Settings.Configuration would find it, with each problem at its configuration path.
/// </summary>
public sealed class FindProblemsTests
{
    const string WrappedSink = """[ { "Name": "Collecting", "Args": { "key": "unused" } } ]""";

    static string Entry(string method, string args) => method == "NonBlocking"
        ? $$"""{ "Name": "NonBlocking", "Args": { "configure": {{WrappedSink}}, {{args}} } }"""
        : $$"""{ "Name": "NonBlockingFile", "Args": { "path": "unused.log", {{args}} } }""";

    static IReadOnlyList<ConfigurationProblem> Problems(string writeToEntries) =>
        NonBlockingLogConfiguration.FindProblems(AppSettings.WithSink(writeToEntries));

    static string[] Describe(IEnumerable<ConfigurationProblem> problems) => problems.Select(p => p.ToString()).ToArray();

    [Theory]
    [InlineData("NonBlocking", "capacty", "capacity")]
    [InlineData("NonBlockingFile", "capacty", "capacity")]
    [InlineData("NonBlockingFile", "rollingIntervall", "rollingInterval")]
    [InlineData("NonBlocking", "configur", "configure")]
    [InlineData("NonBlockingFile", "WaitTimout", "waitTimeout")]
    public void FindProblems_MisspeltKey_NamesItAndTheClosestValidKey(string method, string key, string meant)
    {
        var problem = Assert.Single(Problems(Entry(method, $"\"{key}\": \"5\"")), p => p.Path.EndsWith(key, StringComparison.Ordinal));

        Assert.Equal($"Serilog:WriteTo:0:Args:{key}", problem.Path);
        Assert.Equal($"{method} has no setting \"{key}\"; did you mean \"{meant}\"?", problem.Message);
    }

    [Theory]
    [InlineData("NonBlocking")]
    [InlineData("NonBlockingFile")]
    public void FindProblems_UnknownKeyNearNoValidKey_ListsTheMethodsParameters(string method)
    {
        var parameters = typeof(NonBlockingLogConfigurationExtensions).GetMethod(method)!.GetParameters().Skip(1).Select(p => p.Name);

        var problem = Assert.Single(Problems(Entry(method, "\"colour\": \"red\"")));

        Assert.Equal($"{method} has no setting \"colour\"; its settings are {string.Join(", ", parameters)}.", problem.Message);
    }

    [Fact]
    public void FindProblems_KeysInAnyLetterCase_AreKnown()
    {
        Assert.Empty(Problems(Entry("NonBlockingFile", "\"CAPACITY\": 5, \"FullMode\": \"wait\", \"Name\": \"x\"")));
    }

    public static TheoryData<string, string, string, string> WrongForms => new()
    {
        { "NonBlocking", "capacity", "\"many\"", "capacity must be a whole number, such as 10000; \"many\" is not one." },
        { "NonBlocking", "batchSizeLimit", "\"1.5\"", "batchSizeLimit must be a whole number, such as 1000; \"1.5\" is not one." },
        { "NonBlocking", "reservedForWarnings", "\"99999999999\"", "reservedForWarnings must be a whole number; \"99999999999\" is not one." },
        { "NonBlocking", "waitTimeout", "\"abc\"", "waitTimeout must be a duration such as \"00:00:00.100\" (hh:mm:ss, optionally with days d. before and a fraction .fff after); \"abc\" is not one." },
        { "NonBlocking", "stallTimeout", "\"10s\"", "stallTimeout must be a duration such as \"00:00:00.100\" (hh:mm:ss, optionally with days d. before and a fraction .fff after); \"10s\" is not one." },
        { "NonBlocking", "fullMode", "\"Sometimes\"", "fullMode must be one of DropNewest, DropOldest, Wait (in any letter case); \"Sometimes\" is not one." },
        { "NonBlocking", "fullMode", "\"\"", "fullMode must be one of DropNewest, DropOldest, Wait (in any letter case); \"\" is not one." },
        { "NonBlocking", "restrictedToMinimumLevel", "\"Loud\"", "restrictedToMinimumLevel must be one of Verbose, Debug, Information, Warning, Error, Fatal (in any letter case); \"Loud\" is not one." },
        { "NonBlocking", "capacity", "{ \"value\": 5 }", "capacity must be a single value, not a list or an object." },
        { "NonBlocking", "name", "[ \"a\", \"b\" ]", "name must be a single value, not a list or an object." },
        { "NonBlocking", "levelSwitch", "\"$undeclared\"", "levelSwitch must name a switch declared under LevelSwitches, such as \"$appSwitch\" for \"LevelSwitches\": { \"$appSwitch\": \"Information\" }; \"$undeclared\" is not declared." },
        { "NonBlockingFile", "rollOnFileSizeLimit", "\"yes\"", "rollOnFileSizeLimit must be true or false; \"yes\" is not one." },
        { "NonBlockingFile", "rollingInterval", "\"Weekly\"", "rollingInterval must be one of Infinite, Year, Month, Day, Hour, Minute (in any letter case); \"Weekly\" is not one." },
        { "NonBlockingFile", "fileSizeLimitBytes", "\"1GB\"", "fileSizeLimitBytes must be a whole number, such as 1073741824; \"1GB\" is not one." },
        { "NonBlockingFile", "retainedFileCountLimit", "\"all\"", "retainedFileCountLimit must be a whole number, such as 31; \"all\" is not one." },
        { "NonBlockingFile", "flushToDiskInterval", "\"often\"", "flushToDiskInterval must be a duration such as \"00:00:00.100\" (hh:mm:ss, optionally with days d. before and a fraction .fff after); \"often\" is not one." },
        { "NonBlockingFile", "formatter", "\"No.Such.Formatter\"", "formatter must name a type that implements ITextFormatter and has a parameterless constructor, such as \"Serilog.Formatting.Compact.CompactJsonFormatter, Serilog.Formatting.Compact\"; type \"No.Such.Formatter\" was not found." },
        { "NonBlockingFile", "formatter", "\"System.Text.UTF8Encoding\"", "formatter must name a type that implements ITextFormatter and has a parameterless constructor, such as \"Serilog.Formatting.Compact.CompactJsonFormatter, Serilog.Formatting.Compact\"; System.Text.UTF8Encoding does not implement ITextFormatter." },
        { "NonBlockingFile", "encoding", "\"utf-8\"", "encoding must name a type that implements Encoding and has a parameterless constructor, such as \"System.Text.UTF8Encoding\"; type \"utf-8\" was not found." },
    };

    [Theory]
    [MemberData(nameof(WrongForms))]
    public void FindProblems_ValueOfTheWrongForm_SaysWhatFormIsValid(string method, string key, string json, string message)
    {
        var problem = Assert.Single(Problems(Entry(method, $"\"{key}\": {json}")));

        Assert.Equal($"Serilog:WriteTo:0:Args:{key}", problem.Path);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void FindProblems_ConfigureThatIsNotAListOfSinks_SaysWhatIsValid()
    {
        var problem = Assert.Single(Problems("""{ "Name": "NonBlocking", "Args": { "configure": "Console" } }"""));

        Assert.Equal("Serilog:WriteTo:0:Args:configure", problem.Path);
        Assert.Equal("configure must be a list of sinks, such as [ { \"Name\": \"File\", \"Args\": { \"path\": \"logs/app.log\" } } ].", problem.Message);
    }

    [Fact]
    public void FindProblems_ObjectForm_NamesTheEntryByItsKey()
    {
        var config = AppSettings.FromJson("""
            {
              "Serilog": {
                "WriteTo": {
                  "Main": { "Name": "NonBlockingFile", "Args": { "path": "app.log", "capacity": 0 } },
                  "Wrapped": { "Name": "NonBlocking", "Args": { "waitTimeout": "soon" } }
                }
              }
            }
            """);

        Assert.Equal(
        [
            "Serilog:WriteTo:Main:Args:capacity: capacity must be at least 1 (the number of events held in memory).",
            "Serilog:WriteTo:Wrapped:Args:configure: configure is required: the sink(s) to wrap, such as [ { \"Name\": \"File\", \"Args\": { \"path\": \"logs/app.log\" } } ].",
            "Serilog:WriteTo:Wrapped:Args:waitTimeout: waitTimeout must be a duration such as \"00:00:00.100\" (hh:mm:ss, optionally with days d. before and a fraction .fff after); \"soon\" is not one.",
        ], Describe(NonBlockingLogConfiguration.FindProblems(config)));
    }

    [Fact]
    public void FindProblems_EntriesWrappedByOtherSinks_AreCheckedAtTheirNestedPaths()
    {
        var problems = Problems("""
            { "Name": "Async", "Args": { "configure": [ { "Name": "NonBlockingFile", "Args": { "path": "a.log", "capacty": 5 } } ] } },
            { "Name": "NonBlocking", "Args": { "configure": [ { "Name": "NonBlockingFile", "Args": { "path": "", "name": "inner" } } ] } },
            { "Name": "Logger", "Args": { "configureLogger": { "WriteTo": [ { "Name": "NonBlocking", "Args": { "capacity": -1 } } ] } } }
            """);

        Assert.Equal(
        [
            "Serilog:WriteTo:0:Args:configure:0:Args:capacty: NonBlockingFile has no setting \"capacty\"; did you mean \"capacity\"?",
            "Serilog:WriteTo:1:Args:configure:0:Args:path: path is required: the log file to write, such as \"logs/app-.log\".",
            "Serilog:WriteTo:2:Args:configureLogger:WriteTo:0:Args:capacity: capacity must be at least 1 (the number of events held in memory).",
            "Serilog:WriteTo:2:Args:configureLogger:WriteTo:0:Args:configure: configure is required: the sink(s) to wrap, such as [ { \"Name\": \"File\", \"Args\": { \"path\": \"logs/app.log\" } } ].",
        ], Describe(problems));
    }

    [Fact]
    public void Validate_WithSeveralProblems_ThrowsOnceListingEveryOne()
    {
        var config = AppSettings.WithSink("""
            { "Name": "NonBlockingFile", "Args": { "path": "app.log", "capacity": 0, "waitTimeout": "abc", "fullMode": "Sometimes", "capacty": 5 } },
            { "Name": "NonBlocking", "Args": { "batchSizeLimit": 0 } }
            """);

        var thrown = Assert.Throws<InvalidOperationException>(() => NonBlockingLogConfiguration.Validate(config));

        Assert.Equal(string.Join(Environment.NewLine,
            "The NonBlockingLog sinks in the \"Serilog\" configuration section have 6 problems:",
            "  Serilog:WriteTo:0:Args:capacity: capacity must be at least 1 (the number of events held in memory).",
            "  Serilog:WriteTo:0:Args:capacty: NonBlockingFile has no setting \"capacty\"; did you mean \"capacity\"?",
            "  Serilog:WriteTo:0:Args:fullMode: fullMode must be one of DropNewest, DropOldest, Wait (in any letter case); \"Sometimes\" is not one.",
            "  Serilog:WriteTo:0:Args:waitTimeout: waitTimeout must be a duration such as \"00:00:00.100\" (hh:mm:ss, optionally with days d. before and a fraction .fff after); \"abc\" is not one.",
            "  Serilog:WriteTo:1:Args:batchSizeLimit: batchSizeLimit must be at least 1 (the most events written in one batch).",
            "  Serilog:WriteTo:1:Args:configure: configure is required: the sink(s) to wrap, such as [ { \"Name\": \"File\", \"Args\": { \"path\": \"logs/app.log\" } } ]."), thrown.Message);
    }

    [Fact]
    public void Validate_WithOneProblem_SaysProblemOnce()
    {
        var config = AppSettings.WithSink(Entry("NonBlockingFile", "\"capacity\": 0"));

        var thrown = Assert.Throws<InvalidOperationException>(() => NonBlockingLogConfiguration.Validate(config));

        Assert.StartsWith("The NonBlockingLog sinks in the \"Serilog\" configuration section have 1 problem:" + Environment.NewLine, thrown.Message);
    }

    [Fact]
    public void FindProblems_TwoSinksWithOneName_ReportsTheSecondNamingTheFirst()
    {
        var problems = Problems("""
            { "Name": "NonBlockingFile", "Args": { "path": "a.log", "name": "main" } },
            { "Name": "NonBlockingFile", "Args": { "path": "b.log" } },
            { "Name": "NonBlocking", "Args": { "name": "console", "configure": [ { "Name": "NonBlockingFile", "Args": { "path": "c.log", "Name": "main" } } ] } },
            { "Name": "NonBlockingFile", "Args": { "path": "d.log" } },
            { "Name": "NonBlocking", "Args": { "name": "Main", "configure": [ { "Name": "Collecting", "Args": { "key": "unused" } } ] } }
            """);

        var problem = Assert.Single(problems);
        Assert.Equal("Serilog:WriteTo:2:Args:configure:0:Args:Name", problem.Path);
        Assert.Equal("name \"main\" is already the name of the sink at Serilog:WriteTo:0; each sink needs a name of its own, since NonBlockingLogSinks.Find, the health check and live tuning find sinks by name.", problem.Message);
    }

    [Theory]
    [InlineData("""{ "Name": "nonBlockingFile", "Args": { "path": "a.log" } }""", "Serilog:WriteTo:0:Name", "nonBlockingFile", "NonBlockingFile")]
    [InlineData("\"Nonblocking\"", "Serilog:WriteTo:0", "Nonblocking", "NonBlocking")]
    public void FindProblems_MethodNameInTheWrongLetterCase_SaysTheReaderSkipsIt(string entry, string path, string written, string meant)
    {
        var problem = Assert.Single(Problems(entry));

        Assert.Equal(path, problem.Path);
        Assert.Equal($"no sink method is named \"{written}\" (method names are case-sensitive), so Serilog skips this entry without an error; did you mean \"{meant}\"?", problem.Message);
    }

    [Fact]
    public void FindProblems_SettingBesideArgs_SaysItIsIgnoredAndWhereItGoes()
    {
        var problems = Problems("""{ "Name": "NonBlockingFile", "path": "app.log", "Args": { "capacity": 5 } }""");

        Assert.Equal(
        [
            "Serilog:WriteTo:0:Args:path: path is required: the log file to write, such as \"logs/app-.log\".",
            "Serilog:WriteTo:0:path: a NonBlockingFile entry has only Name and Args, so path is ignored; settings go under Args, as \"Args\": { \"path\": ... }.",
        ], Describe(problems));
    }

    [Fact]
    public void FindProblems_InAnotherSection_ReadsThatSection()
    {
        var config = AppSettings.FromJson("""
            {
              "Serilog": { "WriteTo": [ { "Name": "NonBlockingFile", "Args": { "path": "" } } ] },
              "Logging": { "Serilog": { "WriteTo": [ { "Name": "NonBlockingFile", "Args": { "path": "app.log", "capacity": 0 } } ] } }
            }
            """);

        var problem = Assert.Single(NonBlockingLogConfiguration.FindProblems(config, "Logging:Serilog"));

        Assert.Equal("Logging:Serilog:WriteTo:0:Args:capacity", problem.Path);
    }

    [Fact]
    public void FindProblems_WithNoSerilogSectionOrNoWriteTo_FindsNothing()
    {
        Assert.Empty(NonBlockingLogConfiguration.FindProblems(AppSettings.FromJson("{}")));
        Assert.Empty(NonBlockingLogConfiguration.FindProblems(AppSettings.FromJson("""{ "Serilog": { "MinimumLevel": "Debug" } }""")));
    }

    // Each value in a form the settings reader converts, but not the canonical one; the reader builds both sinks.
    [Fact]
    public void FindProblems_ValuesInTheFormsTheReaderAccepts_FindsNothingAndTheReaderBuildsTheSinks()
    {
        using var tmp = new TempFolder();
        var file = Some.UniqueName("accepted");
        var wrapper = Some.UniqueName("accepted-wrapper");
        Environment.SetEnvironmentVariable("NONBLOCKINGLOG_TEST_CAPACITY", "500");
        var config = AppSettings.FromJson($$"""
            {
              "Serilog": {
                "Using": [ "NonBlockingLog", "NonBlockingLog.Tests" ],
                "LevelSwitches": { "$declared": "Information", "plain": "Warning" },
                "WriteTo": [
                  { "Name": "NonBlockingFile", "Args": {
                      "path": {{AppSettings.Quote(tmp.File("app.log"))}}, "name": "{{file}}",
                      "capacity": "%NONBLOCKINGLOG_TEST_CAPACITY%", "fullMode": "dropoldest", "rollingInterval": "DAY",
                      "restrictedToMinimumLevel": "warning", "waitTimeout": "00:00:01.5", "shutdownTimeout": "00:01", "stallTimeout": "2",
                      "fileSizeLimitBytes": null, "retainedFileCountLimit": "", "flushToDiskInterval": "", "rollOnFileSizeLimit": "False",
                      "formatter": "Serilog.Formatting.Json.JsonFormatter, Serilog", "encoding": "System.Text.UTF8Encoding",
                      "levelSwitch": "$declared", "reservedForWarnings": " 10 ", "batchSizeLimit": "+100" } },
                  { "Name": "NonBlocking", "Args": { "name": "{{wrapper}}", "levelSwitch": "$plain", "FULLMODE": "1",
                      "configure": [ { "Name": "Collecting", "Args": { "key": "unused" } } ] } }
                ]
              }
            }
            """);

        Assert.Empty(NonBlockingLogConfiguration.FindProblems(config));
        using var log = new LoggerConfiguration().ReadFrom.Configuration(config).CreateLogger();
        var fileSink = NonBlockingLogSinks.Find(file)!.GetSnapshot();
        Assert.Equal((500, QueueFullMode.DropOldest, TimeSpan.FromSeconds(1.5), 10), (fileSink.Capacity, fileSink.FullMode, fileSink.WaitTimeout, fileSink.ReservedForWarnings));
        Assert.Equal(QueueFullMode.DropOldest, NonBlockingLogSinks.Find(wrapper)!.GetSnapshot().FullMode);
    }

    [Fact]
    public void FindProblems_ReadmeAndSampleSettings_FindsNothing()
    {
        var sample = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"))
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.Development.json"))
            .Build();
        var readme = AppSettings.FromJson(ReadmeExampleTests.ReadmeJson());

        Assert.Empty(NonBlockingLogConfiguration.FindProblems(sample));
        Assert.Empty(NonBlockingLogConfiguration.FindProblems(readme));
        Assert.Equal(2, sample.GetSection("Serilog:WriteTo").GetChildren().Count());
        Assert.Equal(2, readme.GetSection("Serilog:WriteTo").GetChildren().Count());
    }

    [Fact]
    public void FindProblems_WithNullArguments_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => NonBlockingLogConfiguration.FindProblems(null!));
        Assert.Throws<ArgumentException>(() => NonBlockingLogConfiguration.FindProblems(AppSettings.FromJson("{}"), " "));
    }

    [Fact]
    public void DefaultWaitTimeout_WhenNoneIsConfigured_IsWhatTheSinkRunsWith()
    {
        var name = Some.UniqueName("default-wait");
        using var log = new LoggerConfiguration().WriteTo.NonBlocking(to => to.Sink(new CollectingSink()), name: name).CreateLogger();

        Assert.Equal(NonBlockingLogSinks.Find(name)!.GetSnapshot().WaitTimeout, NonBlockingLogConfiguration.DefaultWaitTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(100), NonBlockingLogConfiguration.DefaultWaitTimeout);
    }
}
