using Serilog.Events;

namespace NonBlockingLog.Flooding;

/// <summary>
/// One message template the flood guard follows: how many of its events passed in the current window, whether it
/// is being suppressed, and how many of its events were suppressed. Callers read <see cref="SuppressingWindow"/>
/// and <see cref="Chunk"/> on every call and write the rest only once per chunk, so the object stays read-mostly.
/// </summary>
internal sealed class GuardedTemplate
{
    // The window's number in the high 32 bits, the events counted in it below: one compare-and-swap moves both,
    // so a count never leaks from one window into the next.
    long _counted;

    // Allocated when the template first reaches its limit: most templates never do.
    StripedCount? _suppressed;

    // The first window it flooded in since its suppressions were last reported, or -1.
    int _floodingSince = -1;

    public GuardedTemplate(MessageTemplate template, int window)
    {
        Template = template;
        _counted = (long)window << 32;
    }

    public MessageTemplate Template { get; }

    /// <summary>The last window in which the template reached its limit; from then until the window ends its events are suppressed.</summary>
    public volatile int SuppressingWindow = -1;

    /// <summary>The last window in which the template reached its limit, for reports; unlike <see cref="SuppressingWindow"/> never reset.</summary>
    public volatile int LastFloodWindow = -1;

    /// <summary>How many events a processor lets pass before it adds them to the shared count: fewer as the limit nears.</summary>
    public volatile int Chunk = 1;

    /// <summary>Set while the guard lists the template among its flooders (under the guard's lock).</summary>
    public volatile bool IsListed;

    /// <summary>Events of this template suppressed since the guard began following it.</summary>
    public long Suppressed => _suppressed?.Sum() ?? 0;

    /// <summary>The last window in which any event of the template was counted.</summary>
    public int LastSeenWindow => (int)(Volatile.Read(ref _counted) >> 32);

    /// <summary>Adds <paramref name="events"/> to the count of <paramref name="window"/> (a later window starts from zero) and returns the window's count.</summary>
    public int Add(int window, int events)
    {
        var seen = Volatile.Read(ref _counted);
        while (true)
        {
            var current = (int)(seen >> 32) == window ? (int)seen : 0;
            var count = (int)Math.Min((long)current + events, int.MaxValue);
            var next = ((long)window << 32) | (uint)count;
            var witnessed = Interlocked.CompareExchange(ref _counted, next, seen);
            if (witnessed == seen) return count;
            seen = witnessed;
        }
    }

    /// <summary>The template reached its limit in <paramref name="window"/>: its later events in that window are suppressed.</summary>
    public void SuppressFor(int window)
    {
        if (_suppressed is null) Interlocked.CompareExchange(ref _suppressed, new StripedCount(), null);

        // After the count exists: a caller that sees the window here counts into it.
        LastFloodWindow = window;
        Interlocked.CompareExchange(ref _floodingSince, window, -1);
        SuppressingWindow = window;
    }

    /// <summary>
    /// Reporting: the first window it flooded in since the last report (-1 if it did not), and starts the next
    /// report's span at <paramref name="stillFlooding"/> (the current window if it is being suppressed now, else -1).
    /// </summary>
    public int TakeFloodingSince(int stillFlooding) => Interlocked.Exchange(ref _floodingSince, stillFlooding);

    /// <summary>One suppressed event; only after <see cref="SuppressFor"/>.</summary>
    public void CountSuppressed() => _suppressed!.Increment();

    /// <summary>A changed limit applies at once: the template passes again and counts in small chunks.</summary>
    public void Reset()
    {
        SuppressingWindow = -1;
        Chunk = 1;
    }
}
