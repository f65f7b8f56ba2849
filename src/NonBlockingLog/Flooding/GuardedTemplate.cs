using Serilog.Events;

namespace NonBlockingLog.Flooding;

/// <summary>
/// One message template the flood guard follows: how many of its events passed in the current window, whether it
/// is being suppressed, and how many of its events were suppressed. Callers read <see cref="SuppressingWindow"/>
/// and <see cref="Chunk"/> on every call and write the rest only once per chunk, so the object stays read-mostly.
/// </summary>
/// <remarks>
/// Windows only move forward here. A caller may have read the window just before the watchdog moved it on, and
/// count after callers of the next window did: its events are then counted in the later window, never the earlier
/// one, which would start the later window's count afresh and let a suppressed template through again.
/// </remarks>
internal sealed class GuardedTemplate
{
    // The window's number in the high 32 bits, the events counted in it below: one compare-and-swap moves both,
    // so a count never leaks from one window into the next.
    long _counted;

    // Allocated when the template first reaches its limit: most templates never do.
    StripedCount? _suppressed;

    // The first window it flooded in since its suppressions were last reported, or -1.
    int _floodingSince = -1;

    int _suppressingWindow = -1;
    int _lastFloodWindow = -1;

    // Suppressed events already summed up in the log. Under the guard's flooders lock.
    long _reported;

    public GuardedTemplate(MessageTemplate template, int window)
    {
        Template = template;
        _counted = (long)window << 32;
    }

    public MessageTemplate Template { get; }

    /// <summary>The last window in which the template reached its limit; until that window ends its events are suppressed.</summary>
    public int SuppressingWindow => Volatile.Read(ref _suppressingWindow);

    /// <summary>The last window in which the template reached its limit, for reports; unlike <see cref="SuppressingWindow"/> never reset.</summary>
    public int LastFloodWindow => Volatile.Read(ref _lastFloodWindow);

    /// <summary>How many events a processor lets pass before it adds them to the shared count: fewer as the limit nears.</summary>
    public volatile int Chunk = 1;

    /// <summary>Set while the guard lists the template among its flooders (under the guard's lock).</summary>
    public volatile bool IsListed;

    /// <summary>Events of this template suppressed since the guard began following it.</summary>
    public long Suppressed => _suppressed?.Sum() ?? 0;

    /// <summary>The last window in which any event of the template was counted.</summary>
    public int LastSeenWindow => (int)(Volatile.Read(ref _counted) >> 32);

    /// <summary>
    /// Adds <paramref name="events"/> to the count of <paramref name="window"/> (a later window starts from zero) and
    /// returns that window's count. If the count has already moved on to a later window, the events are counted in
    /// that one, and <paramref name="window"/> becomes it.
    /// </summary>
    public int Add(ref int window, int events)
    {
        var seen = Volatile.Read(ref _counted);
        while (true)
        {
            var seenWindow = (int)(seen >> 32);
            if (seenWindow > window) window = seenWindow;
            var current = seenWindow == window ? (int)seen : 0;
            var count = (int)Math.Min((long)current + events, int.MaxValue);
            var next = ((long)window << 32) | (uint)count;
            var witnessed = Interlocked.CompareExchange(ref _counted, next, seen);
            if (witnessed == seen) return count;
            seen = witnessed;
        }
    }

    /// <summary>Takes back one event counted in <paramref name="window"/>; nothing if the count has moved on to a later window.</summary>
    public void Uncount(int window)
    {
        var seen = Volatile.Read(ref _counted);
        while ((int)(seen >> 32) == window && (int)seen > 0)
        {
            var witnessed = Interlocked.CompareExchange(ref _counted, seen - 1, seen);
            if (witnessed == seen) return;
            seen = witnessed;
        }
    }

    /// <summary>The template reached its limit in <paramref name="window"/>: its later events in that window are suppressed. A later window already suppressed stays.</summary>
    public void SuppressFor(int window)
    {
        if (_suppressed is null) Interlocked.CompareExchange(ref _suppressed, new StripedCount(), null);

        // After the count exists: a caller that sees the window here counts into it.
        RaiseTo(ref _lastFloodWindow, window);
        Interlocked.CompareExchange(ref _floodingSince, window, -1);
        RaiseTo(ref _suppressingWindow, window);
    }

    /// <summary>
    /// Reporting: the first window it flooded in since the last report (-1 if it did not), and starts the next
    /// report's span at <paramref name="stillFlooding"/> (the current window if it is being suppressed now, else -1).
    /// </summary>
    public int TakeFloodingSince(int stillFlooding) => Interlocked.Exchange(ref _floodingSince, stillFlooding);

    /// <summary>Reporting, under the guard's flooders lock: the suppressed events not summed up yet, which now count as summed up.</summary>
    public long TakeUnreported()
    {
        var suppressed = Suppressed;
        var unreported = suppressed - _reported;
        _reported = suppressed;
        return unreported;
    }

    /// <summary>One suppressed event; only after <see cref="SuppressFor"/>.</summary>
    public void CountSuppressed() => _suppressed!.Increment();

    /// <summary>A changed limit applies at once: the template passes again and counts in small chunks.</summary>
    public void Reset()
    {
        Volatile.Write(ref _suppressingWindow, -1);
        Chunk = 1;
    }

    static void RaiseTo(ref int field, int value)
    {
        var seen = Volatile.Read(ref field);
        while (seen < value)
        {
            var witnessed = Interlocked.CompareExchange(ref field, value, seen);
            if (witnessed == seen) return;
            seen = witnessed;
        }
    }
}
