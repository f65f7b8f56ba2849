using System.Diagnostics;
using System.Runtime.CompilerServices;
using Serilog.Events;

namespace NonBlockingLog.Flooding;

/// <summary>
/// The flood guard of one sink: at most <c>floodLimit</c> events of one message template pass per one-second
/// window; the rest are suppressed on the caller's path, before the queue, so a runaway call site costs each of
/// its calls less than an enqueue and costs the queue, the consumer and the disk nothing. Serilog parses each
/// template text once and caches the parsed template, so the template object itself names the template: nothing
/// is hashed but its reference.
/// </summary>
/// <remarks>
/// A small fixed open-addressed table, keyed by the template reference, follows the templates in use. A template
/// whose few probed slots all hold other templates seen lately is not guarded: a collision must never suppress an
/// innocent template. A slot whose template was not seen for a whole window is taken over, so the table follows
/// what is logged now, and allocates at most once per slot per window.
/// Events that pass are counted per processor (one word per stripe and slot) and added to the template's shared
/// count a chunk at a time, so that many threads logging one template, as request logging does, do not all write
/// one cache line per call. As the limit nears the chunks shrink to single events, and every stripe's count is
/// collected at each addition, so one thread is held to the limit exactly and many threads within a few events.
/// Suppressed events are counted exactly, per template and (by the sink) per reason.
/// </remarks>
internal sealed class FloodGuard
{
    public const int SlotCount = 512;
    public const int MaxChunk = 64;

    /// <summary>Templates kept for reports (the summaries in the log, the snapshot) once they flooded.</summary>
    public const int MaxFlooders = 32;

    public static readonly TimeSpan WindowLength = TimeSpan.FromSeconds(1);

    const int SlotMask = SlotCount - 1;
    const int Probes = 8;

    // Keeps the first stripe's words off the cache line that holds the array's length.
    const int Padding = 16;

    readonly GuardedTemplate?[] _slots = new GuardedTemplate?[SlotCount];

    // Events passed and not yet added to their template's count, one row per processor stripe: the window's
    // number in the high 32 bits, the events below. Written by callers on that processor without atomics: two
    // threads of one processor racing here lose an event of the count, which only lets one more pass.
    readonly long[] _pending = new long[Padding + ProcessorStripes.Count * SlotCount + Padding];

    readonly TimeProvider _time;
    readonly long _startedAt;
    readonly DateTimeOffset _origin;

    // Guards _flooders, the delisted counts and each template's count of reported suppressions; nothing is
    // called out under it.
    readonly object _floodersLock = new();
    readonly List<GuardedTemplate> _flooders = [];

    // Suppressed events of templates that left the list before the summaries took them, or never made it into the
    // list (more than MaxFlooders flooding in one window), and how many templates.
    long _delistedUnreported;
    int _delistedTemplates;

    // Advanced by the watchdog (Supervisor.CheckOnce) and read by every caller: a field read is cheaper than a clock.
    int _window;

    public FloodGuard(TimeProvider time)
    {
        _time = time;
        _startedAt = time.GetTimestamp();
        _origin = time.GetUtcNow();
    }

    /// <summary>The current window's number: whole <see cref="WindowLength"/>s since the guard was made.</summary>
    public int Window => Volatile.Read(ref _window);

    /// <summary>Moves to the window the clock is in now. The watchdog calls it every 100 ms; it never moves back.</summary>
    public void Advance()
    {
        var now = (int)Math.Min(_time.GetElapsedTime(_startedAt).Ticks / WindowLength.Ticks, int.MaxValue);
        var seen = Volatile.Read(ref _window);
        while (now > seen)
        {
            var witnessed = Interlocked.CompareExchange(ref _window, now, seen);
            if (witnessed == seen) return;
            seen = witnessed;
        }
    }

    /// <summary>When window number <paramref name="window"/> began.</summary>
    public DateTimeOffset StartOf(int window) => _origin + WindowLength * window;

    /// <summary>
    /// Caller's path: true to let the event pass; false if it is suppressed, which this counts for its template
    /// (the caller counts the drop). <paramref name="limit"/> is at least 1.
    /// </summary>
    public bool TryAdmit(MessageTemplate template, int limit) => TryAdmit(template, limit, Volatile.Read(ref _window));

    /// <summary>
    /// <see cref="TryAdmit(MessageTemplate, int)"/> for a caller that read <paramref name="window"/> earlier: the
    /// window may have moved on since, and the event then counts in the later window (tests call it directly).
    /// </summary>
    internal bool TryAdmit(MessageTemplate template, int limit, int window)
    {
        var slot = RuntimeHelpers.GetHashCode(template) & SlotMask;
        var guarded = _slots[slot];
        if (guarded is null || !ReferenceEquals(guarded.Template, template))
        {
            guarded = Find(template, ref slot);
            if (guarded is null) return true;
        }

        // Later than the caller's window: the caller is late, and the template is suppressed now.
        if (guarded.SuppressingWindow >= window)
        {
            guarded.CountSuppressed();
            return false;
        }

        ref var pending = ref _pending[Padding + ProcessorStripes.Current * SlotCount + slot];
        var word = pending;
        if ((int)(word >> 32) == window && (int)word + 1 < guarded.Chunk)
        {
            pending = word + 1;
            return true;
        }

        return AddChunk(guarded, slot, ref pending, word, window, limit);
    }

    /// <summary>The templates that reached the limit (at most <see cref="MaxFlooders"/>, the most recent kept), in no order.</summary>
    public GuardedTemplate[] Flooders()
    {
        lock (_floodersLock) return [.. _flooders];
    }

    /// <summary>
    /// Reporting: each listed template with its suppressed events not summed up yet, and the events (and templates)
    /// of those that left the list before they were, or were suppressed without a place in it (more than
    /// <see cref="MaxFlooders"/> flooding in one window); all of them count as summed up from now on. So every
    /// suppressed event is summed up once, however often its template leaves the list and comes back, and the
    /// summaries add up to the flood_limit count.
    /// </summary>
    public (List<(GuardedTemplate Template, long Events)> Listed, long DelistedEvents, int DelistedTemplates) TakeUnreported()
    {
        lock (_floodersLock)
        {
            var listed = new List<(GuardedTemplate, long)>(_flooders.Count);
            foreach (var flooder in _flooders) listed.Add((flooder, flooder.TakeUnreported()));

            // Once a notice interval: a walk over the slots finds the templates the full list turned away.
            foreach (var guarded in _slots)
                if (guarded is { IsListed: false }) AddDelistedUnderLock(guarded);

            var delisted = (_delistedUnreported, _delistedTemplates);
            (_delistedUnreported, _delistedTemplates) = (0, 0);
            return (listed, delisted._delistedUnreported, delisted._delistedTemplates);
        }
    }

    /// <summary>Tests: whether a slot still follows <paramref name="template"/>.</summary>
    internal bool HasSlotFor(MessageTemplate template) => _slots.Any(g => g is not null && ReferenceEquals(g.Template, template));

    /// <summary>A changed limit applies from the next call: no template stays suppressed under the old one.</summary>
    public void ResetSuppression()
    {
        foreach (var guarded in _slots) guarded?.Reset();
    }

    // The call that ends a chunk (or the first of a window on this processor) adds it to the shared count and
    // decides this event against the limit.
    [MethodImpl(MethodImplOptions.NoInlining)]
    bool AddChunk(GuardedTemplate guarded, int slot, ref long pending, long word, int window, int limit)
    {
        // A late caller (see GuardedTemplate) counts in the latest window it finds, here or in the template's count.
        var pendingWindow = (int)(word >> 32);
        if (pendingWindow > window) window = pendingWindow;
        var events = (pendingWindow == window ? (int)word : 0) + 1;
        long counted = guarded.Add(ref window, events);
        pending = (long)window << 32;

        // Near the limit, what other processors hold back could carry the count past it unseen: collect it now.
        var stripes = ProcessorStripes.Count;
        if (limit - counted < (long)stripes * MaxChunk && stripes > 1) counted = guarded.Add(ref window, CollectPending(slot, window));

        var left = limit - counted;
        var chunk = left < stripes ? 1 : (int)Math.Min(MaxChunk, left / stripes);
        if (guarded.Chunk != chunk) guarded.Chunk = chunk;
        if (left >= 0) return true;

        // The count is of events that passed: this one does not, and a higher limit set later starts from there.
        guarded.Uncount(window);
        guarded.SuppressFor(window);
        if (!guarded.IsListed) List(guarded, window);
        guarded.CountSuppressed();
        return false;
    }

    // Takes this window's pending events from every stripe and clears earlier windows' words; a later window's
    // word (written by a caller that is not late) is left to that window.
    int CollectPending(int slot, int window)
    {
        var collected = 0;
        for (var stripe = 0; stripe < ProcessorStripes.Count; stripe++)
        {
            ref var cell = ref _pending[Padding + stripe * SlotCount + slot];
            var word = Volatile.Read(ref cell);
            while ((int)(word >> 32) <= window)
            {
                var witnessed = Interlocked.CompareExchange(ref cell, (long)window << 32, word);
                if (witnessed == word)
                {
                    if ((int)(word >> 32) == window) collected += (int)word;
                    break;
                }

                word = witnessed;
            }
        }

        return collected;
    }

    // The template is not where it hashes: look a few slots on, and follow it in the first slot that is free or
    // whose template was not seen for a whole window. Null leaves it unguarded.
    [MethodImpl(MethodImplOptions.NoInlining)]
    GuardedTemplate? Find(MessageTemplate template, ref int slot)
    {
        var home = slot;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var window = Volatile.Read(ref _window);
            var free = -1;
            GuardedTemplate? replaced = null;
            for (var probe = 0; probe < Probes; probe++)
            {
                var at = (home + probe) & SlotMask;
                var guarded = Volatile.Read(ref _slots[at]);
                if (guarded is not null && ReferenceEquals(guarded.Template, template))
                {
                    slot = at;
                    return guarded;
                }

                // Slots are taken in probe order and never emptied, so the template is not beyond an empty one.
                if (guarded is null)
                {
                    if (free < 0) (free, replaced) = (at, null);
                    break;
                }

                if (free < 0 && guarded.LastSeenWindow < window - 1) (free, replaced) = (at, guarded);
            }

            if (free < 0) return null;
            var fresh = new GuardedTemplate(template, window);
            if (Interlocked.CompareExchange(ref _slots[free], fresh, replaced) == replaced)
            {
                // A template that was suppressed without a place in the list takes its count out of the slots with
                // it: keep what it suppressed for the next summary. A slot is taken over only from a template not
                // seen for a whole window; a caller racing this with an event of that template counts it in the
                // flood_limit counter, but that one event can miss the summaries.
                if (replaced is { IsListed: false, Suppressed: > 0 })
                {
                    lock (_floodersLock) AddDelistedUnderLock(replaced);
                }

                slot = free;
                return fresh;
            }
        }

        return null;
    }

    void List(GuardedTemplate guarded, int window)
    {
        lock (_floodersLock)
        {
            if (guarded.IsListed) return;
            if (_flooders.Count == MaxFlooders)
            {
                // Keep the recent floods: the one that flooded longest ago makes room.
                var oldest = _flooders.MinBy(f => f.LastFloodWindow)!;
                if (oldest.LastFloodWindow >= window) return;
                oldest.IsListed = false;
                _flooders.Remove(oldest);

                // Its suppressions not summed up yet are summed up with the rest at the next summary.
                AddDelistedUnderLock(oldest);
            }

            guarded.IsListed = true;
            _flooders.Add(guarded);
        }

        AssertInvariants();
    }

    // Under _floodersLock: a template off the list whose suppressions are summed up with the rest line.
    void AddDelistedUnderLock(GuardedTemplate guarded)
    {
        var unreported = guarded.TakeUnreported();
        if (unreported == 0) return;
        _delistedUnreported += unreported;
        _delistedTemplates++;
    }

    [Conditional("DEBUG")]
    void AssertInvariants()
    {
        lock (_floodersLock) Debug.Assert(_flooders.Count <= MaxFlooders && _flooders.All(f => f.IsListed), "flooders are bounded and marked");
    }
}
