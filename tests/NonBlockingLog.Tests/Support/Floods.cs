using System.Runtime.CompilerServices;
using NonBlockingLog.Flooding;
using NonBlockingLog.Settings;
using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Tests.Support;

/// <summary>Templates, events and sink options for the flood guard's tests.</summary>
public static class Floods
{
    static readonly MessageTemplateParser Parser = new();

    /// <summary>The incident's call site.</summary>
    public static readonly MessageTemplate UnknownEvent = Parser.Parse("unknown event {Kind} from watcher {Watcher}");

    public static MessageTemplate Template(string text) => Parser.Parse(text);

    public static LogEvent Event(MessageTemplate template, int number = 0, LogEventLevel level = LogEventLevel.Information) =>
        new(DateTimeOffset.UtcNow, level, null, template, [new LogEventProperty("Number", new ScalarValue(number))]);

    /// <summary>A flood summary line (the sink's own event), as opposed to the general drop notice.</summary>
    public static bool IsSummary(LogEvent e) => Some.IsDropNotice(e) && e.MessageTemplate.Text.Contains(" suppressed ", StringComparison.Ordinal);

    public static long SuppressedIn(LogEvent summary) => (long)((ScalarValue)summary.Properties["SuppressedEvents"]).Value!;

    public static string? TemplateIn(LogEvent summary) =>
        summary.Properties.TryGetValue("FloodTemplate", out var value) ? (string?)((ScalarValue)value).Value : null;

    /// <summary>Options as <see cref="Some.Options"/> makes them, with the flood guard and the level reserve set.</summary>
    internal static NonBlockingSinkOptions Options(
        int floodLimit, TimeProvider? time = null, int capacity = 10_000, int reservedForWarnings = 0,
        QueueFullMode fullMode = QueueFullMode.DropNewest, TimeSpan? waitTimeout = null, string? name = null) =>
        new()
        {
            Name = name ?? "flood-" + Guid.NewGuid().ToString("n"),
            Capacity = capacity,
            FullMode = fullMode,
            WaitTimeout = waitTimeout ?? NonBlockingSinkOptions.DefaultWaitTimeout,
            ShutdownTimeout = TimeSpan.FromSeconds(10),
            TimeProvider = time ?? TimeProvider.System,
            ReservedForWarnings = reservedForWarnings,
            FloodLimit = floodLimit,

            // A manual clock means the test moves the windows (and supervision) itself.
            UseWatchdog = time is null || time == TimeProvider.System,
        };

    /// <summary>
    /// <paramref name="count"/> distinct templates that all hash to the same slot of the guard's table, so that
    /// each after the first must look further on: found by trying, as a hash cannot be chosen.
    /// </summary>
    public static MessageTemplate[] Colliding(int count)
    {
        var byHome = new Dictionary<int, List<MessageTemplate>>();
        for (var i = 0; ; i++)
        {
            var template = Parser.Parse($"colliding template {i} {{Number}}");
            var home = RuntimeHelpers.GetHashCode(template) & (FloodGuard.SlotCount - 1);
            if (!byHome.TryGetValue(home, out var same)) byHome[home] = same = [];
            same.Add(template);
            if (same.Count == count) return [.. same];
        }
    }
}
