namespace NonBlockingLog.Settings;

/// <summary>
/// The settings that may change while a sink runs. Immutable: a change swaps the whole object, so Emit reads
/// one consistent policy with a single volatile read.
/// </summary>
internal sealed record QueuePolicy(QueueFullMode FullMode, TimeSpan WaitTimeout, int ReservedForWarnings, int Capacity, int FloodLimit)
{
    /// <summary>Queue depth at which Debug, Verbose and Information events are turned away; int.MaxValue when off.</summary>
    public int LowLevelLimit { get; } = ReservedForWarnings > 0 ? Capacity - ReservedForWarnings : int.MaxValue;

    public static QueuePolicy From(NonBlockingSinkOptions options) =>
        new(options.FullMode, options.WaitTimeout, options.ReservedForWarnings, options.Capacity, options.FloodLimit);
}
