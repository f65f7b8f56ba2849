using NonBlockingLog.Tests.Support;
using Serilog;

namespace NonBlockingLog.Tests.Flooding;

/// <summary>floodLimit and the reserve's default, from code and from appsettings.json, with the messages that say what is valid.</summary>
public sealed class FloodSettingsTests
{
    const string WrappedSink = """[ { "Name": "Collecting", "Args": { "key": "unused" } } ]""";

    static NonBlockingLogSnapshot SnapshotOf(Func<Serilog.Configuration.LoggerSinkConfiguration, string, LoggerConfiguration> writeTo)
    {
        var name = "flood-settings-" + Guid.NewGuid().ToString("n");
        using var logger = writeTo(new LoggerConfiguration().WriteTo, name).CreateLogger();
        return NonBlockingLogSinks.Find(name)!.GetSnapshot();
    }

    [Fact]
    public void NonBlocking_ByDefault_GuardsAt100000AndReservesAFifthOfTheCapacity()
    {
        var s = SnapshotOf((to, name) => to.NonBlocking(w => w.Sink(new CollectingSink()), name: name));

        Assert.Equal(100_000, s.FloodLimit);
        Assert.Equal(NonBlockingLogConfiguration.DefaultFloodLimit, s.FloodLimit);
        Assert.Equal(2_000, s.ReservedForWarnings);
    }

    [Theory]
    [InlineData(500, 100)]
    [InlineData(4, 0)]
    [InlineData(1, 0)]
    public void NonBlockingFile_WithoutAReserve_ReservesAFifthOfItsCapacity(int capacity, int reserved)
    {
        using var folder = new TempFolder();
        var s = SnapshotOf((to, name) => to.NonBlockingFile(folder.File("app.log"), capacity: capacity, name: name));

        Assert.Equal(reserved, s.ReservedForWarnings);
        Assert.Equal(reserved, NonBlockingLogConfiguration.DefaultReservedForWarnings(capacity));
    }

    [Fact]
    public void NonBlocking_ExplicitZeros_TurnTheReserveAndTheGuardOff()
    {
        var s = SnapshotOf((to, name) => to.NonBlocking(w => w.Sink(new CollectingSink()), reservedForWarnings: 0, floodLimit: 0, name: name));

        Assert.Equal(0, s.ReservedForWarnings);
        Assert.Equal(0, s.FloodLimit);
    }

    [Fact]
    public void NonBlockingFile_NegativeFloodLimit_ThrowsNamingTheSettingAndWhatIsValid()
    {
        using var folder = new TempFolder();
        var thrown = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new LoggerConfiguration().WriteTo.NonBlockingFile(folder.File("app.log"), floodLimit: -1));

        Assert.Equal("floodLimit", thrown.ParamName);
        Assert.StartsWith("floodLimit must be at least 0 (the most events of one message template written per second); 0 turns the flood guard off, and the default is 100000.", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonBlocking_ReserveNotBelowCapacity_SaysWhatTheDefaultWouldBe()
    {
        var thrown = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new LoggerConfiguration().WriteTo.NonBlocking(w => w.Sink(new CollectingSink()), capacity: 100, reservedForWarnings: 100));

        Assert.StartsWith("reservedForWarnings must be at least 0 and less than capacity (100); 0 turns the reserve off, and the default is a fifth of capacity (20).", thrown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NonBlocking", "-5", "floodLimit must be at least 0 (the most events of one message template written per second); 0 turns the flood guard off, and the default is 100000.")]
    [InlineData("NonBlockingFile", "\"lots\"", "floodLimit must be a whole number, such as 100000; \"lots\" is not one.")]
    public void FindProblems_BadFloodLimit_NamesItsPathAndWhatIsValid(string method, string value, string message)
    {
        var entry = method == "NonBlocking"
            ? $$"""{ "Name": "NonBlocking", "Args": { "configure": {{WrappedSink}}, "floodLimit": {{value}} } }"""
            : $$"""{ "Name": "NonBlockingFile", "Args": { "path": "unused.log", "floodLimit": {{value}} } }""";

        var problem = Assert.Single(NonBlockingLogConfiguration.FindProblems(AppSettings.WithSink(entry)));

        Assert.Equal("Serilog:WriteTo:0:Args:floodLimit", problem.Path);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void FindProblems_EmptyReserve_IsTheDefault()
    {
        var entry = $$"""{ "Name": "NonBlocking", "Args": { "configure": {{WrappedSink}}, "capacity": 10, "reservedForWarnings": "" } }""";

        Assert.Empty(NonBlockingLogConfiguration.FindProblems(AppSettings.WithSink(entry)));
    }

    [Fact]
    public void NonBlocking_FromAppSettings_TakesFloodLimitAndTheDefaultReserve()
    {
        var name = "flood-settings-" + Guid.NewGuid().ToString("n");
        var config = AppSettings.WithSink($$"""
            { "Name": "NonBlocking", "Args": { "configure": {{WrappedSink}}, "capacity": 1000, "floodLimit": 500, "reservedForWarnings": "", "name": "{{name}}" } }
            """);
        Assert.Empty(NonBlockingLogConfiguration.FindProblems(config));

        using var logger = new LoggerConfiguration().ReadFrom.Configuration(config).CreateLogger();

        var s = NonBlockingLogSinks.Find(name)!.GetSnapshot();
        Assert.Equal(500, s.FloodLimit);
        Assert.Equal(200, s.ReservedForWarnings);
    }
}
