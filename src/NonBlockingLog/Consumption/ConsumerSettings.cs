using NonBlockingLog.Accounting;
using NonBlockingLog.Drills;
using NonBlockingLog.Queueing;
using NonBlockingLog.Supervision;
using Serilog.Events;

namespace NonBlockingLog.Consumption;

/// <summary>What every consumer generation of one sink shares.</summary>
internal sealed class ConsumerSettings
{
    public required string Name { get; init; }
    public required EventQueue Queue { get; init; }
    public required Counters Counters { get; init; }
    public required DropNotice Notice { get; init; }
    public required Supervisor Owner { get; init; }
    public required TimeProvider Time { get; init; }
    public required int BatchSizeLimit { get; init; }

    public required FaultDrills Drills { get; init; }

    /// <summary>Test seam: runs before each batch, outside the per-event handling, so a throw crashes the consumer.</summary>
    public Action<LogEvent>? BeforeBatch { get; init; }
}
