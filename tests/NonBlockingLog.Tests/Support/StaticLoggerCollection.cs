namespace NonBlockingLog.Tests.Support;

/// <summary>
/// The tests that set Serilog's static <c>Log.Logger</c>, or host the sample (which sets it to a bootstrap logger,
/// lets AddSerilog replace it and closes it at exit), run one at a time: two at once would close each other's
/// logger. Tests that never touch <c>Log.Logger</c> still run beside them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class StaticLoggerCollection
{
    public const string Name = "Serilog's static Log.Logger";
}
