using Serilog.Core;

namespace NonBlockingLog.SteadyState.Contenders;

/// <summary>
/// WriteTo.NonBlockingFile, or WriteTo.NonBlocking wrapping Serilog.Sinks.File, in Wait mode: written means the
/// sink's own Pending (queued plus in the batch being written) reached zero.
/// </summary>
internal sealed class NonBlockingContender : SerilogContender
{
    readonly INonBlockingLogInspector _sink;

    NonBlockingContender(Logger logger, string name) : base(logger) =>
        // Kept from the start: disposal unregisters the sink, whose counters stay readable.
        _sink = NonBlockingLogSinks.Find(name) ?? throw new InvalidOperationException($"No NonBlockingLog sink named {name}.");

    public static NonBlockingContender Create(Func<string, Logger> build, string name) => new(build(name), name);

    public override void WaitUntilWritten(long logged) => Poll(() => _sink.GetSnapshot().Pending == 0, $"{_sink.Name} draining its queue");

    public override void CheckCounters(long logged)
    {
        var s = _sink.GetSnapshot();
        if (s.Written != logged || s.Dropped != 0 || s.Pending != 0)
            throw new InvalidOperationException($"{s.Name}: written {s.Written:N0}, dropped {s.Dropped:N0}, pending {s.Pending:N0}; expected {logged:N0} written.");
    }
}
