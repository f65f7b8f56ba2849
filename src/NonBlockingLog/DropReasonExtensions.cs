namespace NonBlockingLog;

/// <summary>The tag of each <see cref="DropReason"/>: the metric's <c>reason</c> tag and the word used in drop notices.</summary>
public static class DropReasonExtensions
{
    /// <summary>The reason's snake_case tag, such as <c>queue_full</c>.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The tag.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reason"/> is not a defined <see cref="DropReason"/>.</exception>
    public static string ToTag(this DropReason reason) => reason switch
    {
        DropReason.QueueFull => "queue_full",
        DropReason.WaitTimeout => "wait_timeout",
        DropReason.Disposed => "disposed",
        DropReason.SinkFailure => "sink_failure",
        DropReason.ShutdownTimeout => "shutdown_timeout",
        DropReason.ConsumerUnavailable => "consumer_unavailable",
        DropReason.LevelReserve => "level_reserve",
        DropReason.MemoryLimit => "memory_limit",
        DropReason.FloodLimit => "flood_limit",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "not a DropReason."),
    };
}
