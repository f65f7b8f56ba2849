namespace NonBlockingLog.Settings;

/// <summary>
/// The settings that may change while a sink runs. Immutable, and built only through its constructor, which derives
/// <see cref="LowLevelLimit"/>: a change swaps the whole object, so Emit reads one consistent policy with a single
/// volatile read. (Not a record: <c>with</c> would copy <see cref="LowLevelLimit"/> from the old policy.)
/// </summary>
internal sealed class QueuePolicy
{
    public QueuePolicy(QueueFullMode fullMode, TimeSpan waitTimeout, int reservedForWarnings, int capacity, int floodLimit)
    {
        FullMode = fullMode;
        WaitTimeout = waitTimeout;
        ReservedForWarnings = reservedForWarnings;
        Capacity = capacity;
        FloodLimit = floodLimit;
        LowLevelLimit = reservedForWarnings > 0 ? capacity - reservedForWarnings : int.MaxValue;
    }

    public QueueFullMode FullMode { get; }

    public TimeSpan WaitTimeout { get; }

    public int ReservedForWarnings { get; }

    public int Capacity { get; }

    public int FloodLimit { get; }

    /// <summary>Queue depth at which Debug, Verbose and Information events are turned away; int.MaxValue when off.</summary>
    public int LowLevelLimit { get; }

    public static QueuePolicy From(NonBlockingSinkOptions options) =>
        new(options.FullMode, options.WaitTimeout, options.ReservedForWarnings, options.Capacity, options.FloodLimit);

    /// <summary>This policy with the given settings changed (null keeps one), validated as at configuration.</summary>
    public QueuePolicy With(QueueFullMode? fullMode, TimeSpan? waitTimeout, int? reservedForWarnings, int? floodLimit)
    {
        var next = new QueuePolicy(fullMode ?? FullMode, waitTimeout ?? WaitTimeout, reservedForWarnings ?? ReservedForWarnings, Capacity, floodLimit ?? FloodLimit);
        NonBlockingSinkOptions.CheckPolicy(next.FullMode, next.WaitTimeout, next.ReservedForWarnings, next.Capacity, next.FloodLimit);
        return next;
    }
}
