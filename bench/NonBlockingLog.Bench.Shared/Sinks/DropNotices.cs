using Serilog.Events;

namespace NonBlockingLog.Bench.Sinks;

/// <summary>
/// Tells NonBlockingLog's own drop notices (Warning events it writes to the destination after drops) from the
/// callers' events: they reach the destination too, but are outside the accounting of what callers logged.
/// </summary>
public static class DropNotices
{
    public static bool IsNotice(LogEvent logEvent) => logEvent.MessageTemplate.Text.StartsWith("NonBlockingLog sink", StringComparison.Ordinal);
}
