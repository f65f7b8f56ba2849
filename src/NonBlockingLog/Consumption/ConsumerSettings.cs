using NonBlockingLog.Accounting;
using NonBlockingLog.Drills;
using NonBlockingLog.Queueing;
using NonBlockingLog.Supervision;

namespace NonBlockingLog.Consumption;

/// <summary>What every consumer generation of one sink shares.</summary>
internal sealed class ConsumerSettings
{
    public required string Name { get; init; }
    public required EventQueue Queue { get; init; }
    public required Counters Counters { get; init; }
    public required FailureReporter Failures { get; init; }
    public required NoticeWriter Notices { get; init; }
    public required Supervisor Owner { get; init; }
    public required TimeProvider Time { get; init; }
    public required int BatchSizeLimit { get; init; }

    /// <summary>Injected faults: drills, and the tests' hook before each batch.</summary>
    public required FaultDrills Drills { get; init; }
}
