using NonBlockingLog.Accounting;

namespace NonBlockingLog;

/// <summary>
/// The live NonBlockingLog sinks of this process, those configured in code and from appsettings.json alike, by
/// their <c>name</c> setting: looks them up for inspection (<see cref="All"/>, <see cref="Find"/>), changes a
/// running sink's queue policy (<see cref="UpdatePolicy"/>) and injects fault drills (<see cref="RunFaultDrill"/>).
/// A sink is live from the moment its construction completes until its disposal has finished (drained, or given
/// up after <c>shutdownTimeout</c>); a name belongs to one live sink at a time.
/// </summary>
public static class NonBlockingLogSinks
{
    /// <summary>The live sinks, in no particular order: a copy, taken when read.</summary>
    public static IReadOnlyCollection<INonBlockingLogInspector> All => SinkRegistry.Snapshot();

    /// <summary>The live sink with this name, or <c>null</c> (no such sink, or it is still being built or has been disposed).</summary>
    /// <param name="name">The sink's <c>name</c> setting.</param>
    public static INonBlockingLogInspector? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return SinkRegistry.Find(name);
    }

    /// <summary>
    /// Changes the queue policy of a running sink, without a restart: <paramref name="fullMode"/>,
    /// <paramref name="waitTimeout"/>, <paramref name="reservedForWarnings"/> and <paramref name="floodLimit"/>,
    /// each left as it is when <c>null</c>. The values are validated as at configuration; an invalid combination
    /// throws and changes nothing. Callers waiting for room under the old policy look again at once. The other
    /// settings (capacity, batch size, timeouts other than <paramref name="waitTimeout"/>) cannot change while running.
    /// </summary>
    /// <param name="name">The sink's <c>name</c> setting.</param>
    /// <param name="fullMode">The new queue-full policy, or <c>null</c> to keep it.</param>
    /// <param name="waitTimeout">The new wait bound in <see cref="QueueFullMode.Wait"/>, or <c>null</c> to keep it.</param>
    /// <param name="reservedForWarnings">The new level reserve (0 turns it off), or <c>null</c> to keep it.</param>
    /// <param name="floodLimit">The new flood limit, events of one message template per second (0 turns the guard off), or <c>null</c> to keep it. It applies from the next event: a template suppressed under the old limit is judged by the new one.</param>
    /// <returns><c>false</c> if no live sink has that name.</returns>
    /// <exception cref="ArgumentException">A value, or the resulting policy, is not valid (the message names the setting and what is valid).</exception>
    public static bool UpdatePolicy(string name, QueueFullMode? fullMode = null, TimeSpan? waitTimeout = null, int? reservedForWarnings = null, int? floodLimit = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (SinkRegistry.Find(name) is not { } sink) return false;
        sink.UpdatePolicy(fullMode, waitTimeout, reservedForWarnings, floodLimit);
        return true;
    }

    /// <summary>
    /// Injects <paramref name="drill"/> into the live sink named <paramref name="name"/>: a stalled write, a consumer
    /// crash, a full disk, or healing them. The sink's health, metrics and snapshot then react as they would to the
    /// real fault. For drills and tests only; an app exposes it over HTTP only in Development (see the ASP.NET package).
    /// </summary>
    /// <param name="name">The sink's <c>name</c> setting.</param>
    /// <param name="drill">The fault to inject, or <see cref="FaultDrill.Heal"/>.</param>
    /// <returns><c>false</c> if no live sink has that name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="drill"/> is not a defined <see cref="FaultDrill"/>.</exception>
    public static bool RunFaultDrill(string name, FaultDrill drill)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Enum.IsDefined(drill)) throw new ArgumentOutOfRangeException(nameof(drill), drill, "drill must be Stall, Crash, DiskFull or Heal.");
        if (SinkRegistry.Find(name) is not { } sink) return false;
        sink.Supervisor.Drills.Run(drill);
        return true;
    }
}
