using System.Reflection;
using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Configuration;

namespace NonBlockingLog.Tests.Settings;

/// <summary>
/// Every rejected setting, from code and from appsettings JSON: the message names the setting and says what a
/// valid value is. Serilog.Settings.Configuration calls the entry point by reflection, so from JSON our
/// exception arrives as the inner exception of a <see cref="TargetInvocationException"/>;
/// <see cref="NonBlockingLogConfiguration.FindProblems"/> reports the same rule's message, at the key's path, first.
/// </summary>
public class ValidationTests
{
    public enum EntryPoint { NonBlocking, NonBlockingFile }

    /// <param name="Code">The same bad value passed from code (the entry point's required arguments are supplied).</param>
    /// <param name="JsonArgs">The bad value as JSON "Args" members, or null when JSON cannot express it.</param>
    public sealed record BadInput(
        EntryPoint EntryPoint, string Setting, Type Exception, string ValidHint,
        Func<LoggerSinkConfiguration, LoggerConfiguration> Code, string? JsonArgs);

    static readonly Dictionary<string, BadInput> Cases = BuildCases();

    public static TheoryData<string> CodeCases => new(Cases.Keys);

    public static TheoryData<string> JsonCases => new(Cases.Where(c => c.Value.JsonArgs is not null).Select(c => c.Key));

    [Theory]
    [MemberData(nameof(CodeCases))]
    public void EntryPoint_FromCodeWithBadValue_ThrowsNamingTheSettingAndWhatIsValid(string @case)
    {
        var input = Cases[@case];

        var thrown = Record.Exception(() => input.Code(new LoggerConfiguration().WriteTo));

        AssertNamesSetting(input, thrown);
    }

    [Theory]
    [MemberData(nameof(JsonCases))]
    public void EntryPoint_FromAppSettingsWithBadValue_ThrowsNamingTheSettingAndWhatIsValid(string @case)
    {
        var input = Cases[@case];
        var config = AppSettings.WithSink(EntryJson(input.EntryPoint, input.JsonArgs!));

        var thrown = Assert.Throws<TargetInvocationException>(() => new LoggerConfiguration().ReadFrom.Configuration(config));

        AssertNamesSetting(input, thrown.InnerException);
    }

    [Theory]
    [MemberData(nameof(JsonCases))]
    public void FindProblems_WithBadValue_ReportsTheEntryPointsOwnMessageAtTheKeysPath(string @case)
    {
        var input = Cases[@case];
        var config = AppSettings.WithSink(EntryJson(input.EntryPoint, input.JsonArgs!));
        var fromCode = Assert.IsAssignableFrom<ArgumentException>(Record.Exception(() => input.Code(new LoggerConfiguration().WriteTo)));

        var problem = Assert.Single(NonBlockingLogConfiguration.FindProblems(config));

        Assert.Equal($"Serilog:WriteTo:0:Args:{input.Setting}", problem.Path);
        // The same rule: ArgumentException only appends the parameter (and the value) to the message.
        Assert.StartsWith(problem.Message + " (Parameter '" + input.Setting + "')", fromCode.Message);
        Assert.Contains(input.ValidHint, problem.Message);
    }

    // From JSON the path can be left out (with other Args or with none), empty or blank.
    [Theory]
    [InlineData("""{ "Name": "NonBlockingFile", "Args": { "capacity": 10 } }""")]
    [InlineData("""{ "Name": "NonBlockingFile" }""")]
    [InlineData("""{ "Name": "NonBlockingFile", "Args": { "path": "" } }""")]
    [InlineData("""{ "Name": "NonBlockingFile", "Args": { "path": "   " } }""")]
    [InlineData("\"NonBlockingFile\"")]
    public void NonBlockingFile_FromAppSettingsWithoutPath_ThrowsNamingPath(string entry)
    {
        var config = AppSettings.WithSink(entry);

        var thrown = Assert.Throws<TargetInvocationException>(() => new LoggerConfiguration().ReadFrom.Configuration(config));
        var problem = Assert.Single(NonBlockingLogConfiguration.FindProblems(config));

        var argument = Assert.IsType<ArgumentException>(thrown.InnerException);
        Assert.Equal("path", argument.ParamName);
        Assert.StartsWith("path is required: the log file to write", argument.Message);
        Assert.Equal("Serilog:WriteTo:0:Args:path", problem.Path);
        Assert.Equal("path is required: the log file to write, such as \"logs/app-.log\".", problem.Message);
    }

    // Serilog.Settings.Configuration 10 converts each value to the parameter's type before it calls the entry
    // point: enums with Enum.Parse in any letter case, numbers and TimeSpans with their own parsers. A value that
    // does not convert fails there, unwrapped, and the message names the value but not the setting; no code of
    // ours runs. Pinned here so that an upgrade that changes it is seen, with what FindProblems says instead.
    [Theory]
    [InlineData("fullMode", "\"Sometimes\"", typeof(ArgumentException), "Requested value 'Sometimes' was not found.",
        "fullMode must be one of DropNewest, DropOldest, Wait (in any letter case); \"Sometimes\" is not one.")]
    [InlineData("rollingInterval", "\"Weekly\"", typeof(ArgumentException), "Requested value 'Weekly' was not found.",
        "rollingInterval must be one of Infinite, Year, Month, Day, Hour, Minute (in any letter case); \"Weekly\" is not one.")]
    [InlineData("capacity", "\"many\"", typeof(FormatException), "'many'",
        "capacity must be a whole number, such as 10000; \"many\" is not one.")]
    [InlineData("waitTimeout", "\"abc\"", typeof(FormatException), "String 'abc' was not recognized as a valid TimeSpan.",
        "waitTimeout must be a duration such as \"00:00:00.100\" (hh:mm:ss, optionally with days d. before and a fraction .fff after); \"abc\" is not one.")]
    public void NonBlockingFile_FromAppSettingsWithUnconvertibleValue_FailsInSettingsReaderButFindProblemsNamesTheSetting(
        string setting, string jsonValue, Type exception, string readerMessage, string ourMessage)
    {
        var config = AppSettings.WithSink(EntryJson(EntryPoint.NonBlockingFile, $"\"{setting}\": {jsonValue}"));

        var thrown = Record.Exception(() => new LoggerConfiguration().ReadFrom.Configuration(config));
        var problem = Assert.Single(NonBlockingLogConfiguration.FindProblems(config));

        Assert.IsType(exception, thrown);
        Assert.Contains(readerMessage, thrown.Message);
        Assert.Equal($"Serilog:WriteTo:0:Args:{setting}", problem.Path);
        Assert.Equal(ourMessage, problem.Message);
    }

    // The settings reader only calls a method whose parameters without defaults are all supplied; otherwise it
    // skips the sink with a SelfLog line and no error. configure (like NonBlockingFile's path) has a default for
    // this reason, so a NonBlocking without it is reported by our own check.
    [Fact]
    public void NonBlocking_FromAppSettingsWithoutConfigure_FailsNamingConfigure()
    {
        var name = Some.UniqueName("noconfigure");
        var config = AppSettings.WithSink($$"""{ "Name": "NonBlocking", "Args": { "name": "{{name}}" } }""");

        var thrown = Record.Exception(() => new LoggerConfiguration().ReadFrom.Configuration(config));

        var argument = Assert.IsType<ArgumentException>(thrown?.InnerException);
        Assert.Equal("configure", argument.ParamName);
        Assert.StartsWith("configure is required", argument.Message);
        Assert.Null(NonBlockingLogSinks.Find(name));
        var problem = Assert.Single(NonBlockingLogConfiguration.FindProblems(config));
        Assert.Equal("Serilog:WriteTo:0:Args:configure", problem.Path);
        Assert.Equal(argument.Message, problem.Message + " (Parameter 'configure')");
    }

    static void AssertNamesSetting(BadInput input, Exception? thrown)
    {
        Assert.NotNull(thrown);
        Assert.IsType(input.Exception, thrown);
        var argument = Assert.IsAssignableFrom<ArgumentException>(thrown);
        Assert.Equal(input.Setting, argument.ParamName);
        Assert.StartsWith(input.Setting + " ", argument.Message);
        Assert.Contains(input.ValidHint, argument.Message);
    }

    static string EntryJson(EntryPoint entryPoint, string args) => entryPoint == EntryPoint.NonBlocking
        ? $$"""{ "Name": "NonBlocking", "Args": { "configure": [ { "Name": "Collecting", "Args": { "key": "unused" } } ], {{args}} } }"""
        : $$"""{ "Name": "NonBlockingFile", "Args": { "path": "unused.log", {{args}} } }""";

    static Dictionary<string, BadInput> BuildCases()
    {
        const string AtLeastOne = "at least 1";
        const string Positive = "positive duration";
        var cases = new Dictionary<string, BadInput>();

        // The queue's settings are the same on both entry points.
        foreach (var entryPoint in Enum.GetValues<EntryPoint>())
        {
            void Add(string setting, string value, Type exception, string hint,
                Func<LoggerSinkConfiguration, LoggerConfiguration> code, string? json)
            {
                cases.Add($"{entryPoint} {setting} {value}", new BadInput(entryPoint, setting, exception, hint, code, json));
            }

            Func<LoggerSinkConfiguration, LoggerConfiguration> Call(
                int capacity = 10_000, QueueFullMode fullMode = QueueFullMode.DropNewest, TimeSpan? waitTimeout = null,
                int batchSizeLimit = 1000, TimeSpan? shutdownTimeout = null, TimeSpan? stallTimeout = null, string? name = null) =>
                entryPoint == EntryPoint.NonBlocking
                    ? to => to.NonBlocking(w => w.Sink(new CollectingSink()), capacity, fullMode, waitTimeout, batchSizeLimit, shutdownTimeout, stallTimeout, name: name)
                    : to => to.NonBlockingFile("unused.log", capacity: capacity, fullMode: fullMode, waitTimeout: waitTimeout,
                        batchSizeLimit: batchSizeLimit, shutdownTimeout: shutdownTimeout, stallTimeout: stallTimeout, name: name);

            var outOfRange = typeof(ArgumentOutOfRangeException);
            Add("capacity", "0", outOfRange, AtLeastOne, Call(capacity: 0), "\"capacity\": 0");
            Add("capacity", "-1", outOfRange, AtLeastOne, Call(capacity: -1), "\"capacity\": -1");
            Add("batchSizeLimit", "0", outOfRange, AtLeastOne, Call(batchSizeLimit: 0), "\"batchSizeLimit\": 0");
            Add("fullMode", "42", outOfRange, "DropNewest, DropOldest or Wait", Call(fullMode: (QueueFullMode)42), "\"fullMode\": \"42\"");
            Add("waitTimeout", "zero", outOfRange, Positive, Call(waitTimeout: TimeSpan.Zero), "\"waitTimeout\": \"00:00:00\"");
            Add("waitTimeout", "negative", outOfRange, Positive, Call(waitTimeout: TimeSpan.FromSeconds(-1)), "\"waitTimeout\": \"-00:00:01\"");
            Add("waitTimeout", "30 days", outOfRange, "at most 25 days", Call(waitTimeout: TimeSpan.FromDays(30)), "\"waitTimeout\": \"30.00:00:00\"");
            Add("shutdownTimeout", "zero", outOfRange, Positive, Call(shutdownTimeout: TimeSpan.Zero), "\"shutdownTimeout\": \"00:00:00\"");
            Add("shutdownTimeout", "negative", outOfRange, Positive, Call(shutdownTimeout: TimeSpan.FromSeconds(-1)), "\"shutdownTimeout\": \"-00:00:01\"");
            Add("stallTimeout", "zero", outOfRange, Positive, Call(stallTimeout: TimeSpan.Zero), "\"stallTimeout\": \"00:00:00\"");
            Add("stallTimeout", "negative", outOfRange, Positive, Call(stallTimeout: TimeSpan.FromSeconds(-1)), "\"stallTimeout\": \"-00:00:01\"");
            Add("name", "blank", typeof(ArgumentException), "omit it", Call(name: "  "), "\"name\": \"  \"");
        }

        void AddFile(string setting, string value, Type exception, string hint,
            Func<LoggerSinkConfiguration, LoggerConfiguration> code, string? json) =>
            cases.Add($"NonBlockingFile {setting} {value}", new BadInput(EntryPoint.NonBlockingFile, setting, exception, hint, code, json));

        const string Required = "path is required";
        AddFile("path", "null", typeof(ArgumentException), Required, to => to.NonBlockingFile(null!), null);
        AddFile("path", "empty", typeof(ArgumentException), Required, to => to.NonBlockingFile(""), null);
        AddFile("path", "blank", typeof(ArgumentException), Required, to => to.NonBlockingFile("  "), null);
        AddFile("fileSizeLimitBytes", "0", typeof(ArgumentOutOfRangeException), "at least 1 byte, or null",
            to => to.NonBlockingFile("unused.log", fileSizeLimitBytes: 0), "\"fileSizeLimitBytes\": 0");
        AddFile("retainedFileCountLimit", "0", typeof(ArgumentOutOfRangeException), "at least 1, or null",
            to => to.NonBlockingFile("unused.log", retainedFileCountLimit: 0), "\"retainedFileCountLimit\": 0");
        AddFile("rollOnFileSizeLimit", "without fileSizeLimitBytes", typeof(ArgumentException), "needs a fileSizeLimitBytes",
            to => to.NonBlockingFile("unused.log", fileSizeLimitBytes: null, rollOnFileSizeLimit: true),
            "\"fileSizeLimitBytes\": null, \"rollOnFileSizeLimit\": true");
        AddFile("outputTemplate", "empty", typeof(ArgumentException), "must not be empty",
            to => to.NonBlockingFile("unused.log", outputTemplate: ""), "\"outputTemplate\": \"\"");
        AddFile("rollingInterval", "42", typeof(ArgumentOutOfRangeException), "Infinite, Year, Month, Day, Hour or Minute",
            to => to.NonBlockingFile("unused.log", rollingInterval: (RollingInterval)42), "\"rollingInterval\": \"42\"");
        AddFile("flushToDiskInterval", "zero", typeof(ArgumentOutOfRangeException), Positive,
            to => to.NonBlockingFile("unused.log", flushToDiskInterval: TimeSpan.Zero), "\"flushToDiskInterval\": \"00:00:00\"");
        return cases;
    }
}
