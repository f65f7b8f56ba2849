using NonBlockingLog.Sinks.NonBlockingLog;
using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Tests.Support;

/// <summary>Test data and small helpers.</summary>
public static class Some
{
    static readonly MessageTemplate Template = new MessageTemplateParser().Parse("Event {Number}");

    public static LogEvent Event(int number = 0, LogEventLevel level = LogEventLevel.Information) =>
        new(DateTimeOffset.UtcNow, level, null, Template, [new LogEventProperty("Number", new ScalarValue(number))]);

    public static int NumberOf(LogEvent e) => (int)((ScalarValue)e.Properties["Number"]).Value!;

    public static bool IsDropNotice(LogEvent e) => e.MessageTemplate.Text.StartsWith("NonBlockingLog sink", StringComparison.Ordinal);

    internal static NonBlockingSinkOptions Options(
        int capacity = 10_000, QueueFullMode fullMode = QueueFullMode.DropNewest, TimeSpan? waitTimeout = null,
        int batchSizeLimit = 1000, TimeSpan? shutdownTimeout = null, TimeProvider? time = null, string? name = null) =>
        new()
        {
            Name = name ?? "test-" + Guid.NewGuid().ToString("n"),
            Capacity = capacity,
            FullMode = fullMode,
            WaitTimeout = waitTimeout ?? NonBlockingSinkOptions.DefaultWaitTimeout,
            BatchSizeLimit = batchSizeLimit,
            ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(10),
            TimeProvider = time ?? TimeProvider.System,
        };

    /// <summary>Checks the accounting identity: every emitted event is written, dropped or pending.</summary>
    public static void AssertAccounted(long emitted, NonBlockingLogSnapshot s) =>
        Assert.True(emitted == s.Written + s.Dropped + s.Pending,
            $"emitted {emitted} != written {s.Written} + dropped {s.Dropped} ({string.Join(", ", s.DroppedByReason.Select(kv => $"{kv.Key}={kv.Value}"))}) + pending {s.Pending}");
}
