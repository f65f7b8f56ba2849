namespace NonBlockingLog;

/// <summary>
/// One sink's counters and state at one moment. At a quiescent moment (no caller inside Emit) the accounting
/// is exact: every event a caller emitted is <see cref="Written"/>, <see cref="Dropped"/> or <see cref="Pending"/>.
/// </summary>
public sealed class NonBlockingLogSnapshot
{
    /// <summary>The sink's name, as configured or generated.</summary>
    public required string Name { get; init; }

    /// <summary>The consumer's lifecycle state.</summary>
    public required SinkState State { get; init; }

    /// <summary>What the consumer is doing now.</summary>
    public required ConsumerPhase Phase { get; init; }

    /// <summary>When the consumer entered <see cref="Phase"/>.</summary>
    public required DateTimeOffset PhaseSince { get; init; }

    /// <summary>When the consumer was last seen making progress (sampled by the watchdog, about every 100 ms).</summary>
    public required DateTimeOffset LastProgress { get; init; }

    /// <summary>The message of the last error the sink met (a failed write, an I/O outage, a consumer crash), or <c>null</c>.</summary>
    public required string? LastError { get; init; }

    /// <summary>When <see cref="LastError"/> happened.</summary>
    public required DateTimeOffset? LastErrorAt { get; init; }

    /// <summary>Consumer restarts after it died with an unhandled error (cause <c>fault</c>).</summary>
    public required long FaultRestarts { get; init; }

    /// <summary>Consumer restarts after a stall, on a newly built destination (cause <c>stall</c>).</summary>
    public required long StallRestarts { get; init; }

    /// <summary>All consumer restarts.</summary>
    public long ConsumerRestarts => FaultRestarts + StallRestarts;

    /// <summary>Times the consumer was found stalled: work pending and no progress for <c>stallTimeout</c>.</summary>
    public required long Stalls { get; init; }

    /// <summary>The most events the queue holds.</summary>
    public required int Capacity { get; init; }

    /// <summary>The queue-full policy in force (it may have been changed while running).</summary>
    public required QueueFullMode FullMode { get; init; }

    /// <summary>The longest a caller waits for room in <see cref="QueueFullMode.Wait"/>.</summary>
    public required TimeSpan WaitTimeout { get; init; }

    /// <summary>Queue slots kept for Warning and above; 0 when the reserve is off.</summary>
    public required int ReservedForWarnings { get; init; }

    /// <summary>The most events of one message template written per second (the flood guard); 0 when the guard is off.</summary>
    public int FloodLimit { get; init; }

    /// <summary>
    /// The templates the flood guard suppressed, the most recent floods first (at most 5): which call site is
    /// flooding. Their events are counted under <see cref="DropReason.FloodLimit"/>.
    /// </summary>
    public IReadOnlyList<FloodingTemplate> FloodingTemplates { get; init; } = [];

    /// <summary>When an event was last dropped, for any reason (as observed, within about 100 ms), or <c>null</c> if none was.</summary>
    public required DateTimeOffset? LastDropAt { get; init; }

    /// <summary>The most estimated bytes the queue's large events may hold (<c>queueSizeLimitBytes</c>), or <c>null</c> for no limit.</summary>
    public long? QueueSizeLimitBytes { get; init; }

    /// <summary>The estimated bytes of the large events (1 KB or more) waiting in the queue now.</summary>
    public long QueuedBytes { get; init; }

    /// <summary>Events waiting in the queue.</summary>
    public required long QueueDepth { get; init; }

    /// <summary>Events the consumer has taken from the queue and not yet accounted as written or dropped.</summary>
    public required long InFlight { get; init; }

    /// <summary>Events accepted but not yet written or dropped: <see cref="QueueDepth"/> plus <see cref="InFlight"/>.</summary>
    public long Pending => QueueDepth + InFlight;

    /// <summary>Events accepted into the queue.</summary>
    public required long Enqueued { get; init; }

    /// <summary>Events written and flushed to the destination.</summary>
    public required long Written { get; init; }

    /// <summary>Events dropped, for any reason.</summary>
    public long Dropped => DroppedByReason.Values.Sum();

    /// <summary>Events dropped, by reason; every reason is present.</summary>
    public required IReadOnlyDictionary<DropReason, long> DroppedByReason { get; init; }

    /// <summary>Drop notices and flood summaries the sink wrote into the log (its own events, outside the accounting).</summary>
    public required long DropNotices { get; init; }
}
