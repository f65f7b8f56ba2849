namespace NonBlockingLog.Consumption;

/// <summary>
/// What the consumer is doing, and since when. The consumer changes phase several times per batch, and a batch
/// is often a single event, so it never reads the clock: whoever observes a change first (the watchdog, about
/// every 100 ms, or a snapshot) stamps it with the time.
/// </summary>
internal sealed class PhaseTracker(TimeProvider time)
{
    // Written by the consumer only.
    int _phase;
    long _changes;

    // Written by whoever observes a change first.
    long _observedChanges;
    long _since = time.GetTimestamp();

    public ConsumerPhase Phase => (ConsumerPhase)Volatile.Read(ref _phase);

    /// <summary>When the current phase was first observed, as a <see cref="TimeProvider"/> timestamp.</summary>
    public long Since
    {
        get
        {
            Observe();
            return Volatile.Read(ref _since);
        }
    }

    /// <summary>Consumer only.</summary>
    public void Set(ConsumerPhase phase)
    {
        if (Volatile.Read(ref _phase) == (int)phase) return;
        Volatile.Write(ref _phase, (int)phase);
        Volatile.Write(ref _changes, _changes + 1);
    }

    /// <summary>Stamps the current phase with the time if it changed since the last look.</summary>
    public void Observe()
    {
        var changes = Volatile.Read(ref _changes);
        var seen = Volatile.Read(ref _observedChanges);
        if (changes != seen && Interlocked.CompareExchange(ref _observedChanges, changes, seen) == seen)
            Volatile.Write(ref _since, time.GetTimestamp());
    }
}
