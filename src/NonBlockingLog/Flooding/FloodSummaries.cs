using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Flooding;

/// <summary>
/// The lines that tell a reader of the log which templates were suppressed, written with each drop notice (at
/// most once per notice interval): one per template suppressed since the last notice, the largest first, and
/// never more than <see cref="MaxTemplatesPerNotice"/> of them, then one line for the rest. Every suppressed event is
/// summed up exactly once, whether or not its template has a place in the guard's list (see
/// <see cref="FloodGuard.TakeUnreported"/>). Consumer side only.
/// </summary>
internal sealed class FloodSummaries(string sinkName, FloodGuard guard, Func<int> floodLimit)
{
    public const int MaxTemplatesPerNotice = 5;

    static readonly MessageTemplate Template = new MessageTemplateParser().Parse(
        "NonBlockingLog sink {SinkName} suppressed {SuppressedEvents} events of template '{FloodTemplate:l}' in {WindowSeconds} s (floodLimit: {FloodLimit} a second)");

    static readonly MessageTemplate RestTemplate = new MessageTemplateParser().Parse(
        "NonBlockingLog sink {SinkName} suppressed {SuppressedEvents} events of {MoreTemplates} more templates in {WindowSeconds} s (floodLimit: {FloodLimit} a second)");

    /// <summary>The summary lines for the suppressions since the last call, which was at <paramref name="lastNotice"/>.</summary>
    public List<LogEvent> Take(DateTimeOffset lastNotice, DateTimeOffset now)
    {
        var window = guard.Window;
        var (listed, delistedEvents, delistedTemplates) = guard.TakeUnreported();
        var suppressed = new List<(GuardedTemplate Template, long Events, DateTimeOffset Since)>();
        foreach (var (flooder, events) in listed)
        {
            // Over the time the template flooded since the last notice, not since the last notice itself: the first
            // notice after a quiet hour would otherwise say "in 3600 s" of a flood that lasted one.
            var floodingSince = flooder.TakeFloodingSince(flooder.SuppressingWindow == window ? window : -1);
            var since = floodingSince < 0 ? lastNotice : Max(lastNotice, guard.StartOf(floodingSince));
            if (events > 0) suppressed.Add((flooder, events, since));
        }

        var lines = new List<LogEvent>();
        if (suppressed.Count == 0 && delistedEvents == 0) return lines;
        suppressed.Sort((a, b) => b.Events.CompareTo(a.Events));
        var limit = floodLimit();
        foreach (var (template, events, since) in suppressed.Take(MaxTemplatesPerNotice))
            lines.Add(Line(Template, since, now, limit, events, new LogEventProperty("FloodTemplate", new ScalarValue(template.Template.Text))));

        // The rest line also sums up templates that left the guard's list before their suppressions were summed up,
        // and those that found it full.
        var rest = suppressed.Skip(MaxTemplatesPerNotice).ToArray();
        if (rest.Length > 0 || delistedEvents > 0)
        {
            var restSince = delistedEvents > 0 ? lastNotice : rest.Min(r => r.Since);
            lines.Add(Line(RestTemplate, restSince, now, limit, rest.Sum(r => r.Events) + delistedEvents,
                new LogEventProperty("MoreTemplates", new ScalarValue(rest.Length + delistedTemplates))));
        }

        return lines;
    }

    static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    LogEvent Line(MessageTemplate template, DateTimeOffset start, DateTimeOffset end, int limit, long events, LogEventProperty subject) =>
        new(end, LogEventLevel.Warning, null, template,
        [
            new LogEventProperty("SinkName", new ScalarValue(sinkName)),
            new LogEventProperty("SuppressedEvents", new ScalarValue(events)),
            subject,
            new LogEventProperty("WindowSeconds", new ScalarValue(Math.Round((end - start).TotalSeconds, 1))),
            new LogEventProperty("FloodLimit", new ScalarValue(limit)),
            new LogEventProperty("WindowStart", new ScalarValue(start)),
            new LogEventProperty("WindowEnd", new ScalarValue(end)),
        ]);
}
