using NonBlockingLog.Settings;
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
        int batchSizeLimit = 1000, TimeSpan? shutdownTimeout = null, TimeProvider? time = null, string? name = null,
        TimeSpan? stallTimeout = null, int reservedForWarnings = 0, Action<LogEvent>? beforeBatch = null, TimeSpan? dozeInterval = null,
        long? queueSizeLimitBytes = NonBlockingSinkOptions.DefaultQueueSizeLimitBytes) =>
        new()
        {
            Name = name ?? "test-" + Guid.NewGuid().ToString("n"),
            Capacity = capacity,
            FullMode = fullMode,
            WaitTimeout = waitTimeout ?? NonBlockingSinkOptions.DefaultWaitTimeout,
            BatchSizeLimit = batchSizeLimit,
            ShutdownTimeout = shutdownTimeout ?? TimeSpan.FromSeconds(10),
            TimeProvider = time ?? TimeProvider.System,
            StallTimeout = stallTimeout ?? NonBlockingSinkOptions.DefaultStallTimeout,
            ReservedForWarnings = reservedForWarnings,
            BeforeBatch = beforeBatch,
            DozeInterval = dozeInterval ?? NonBlockingSinkOptions.DefaultDozeInterval,
            QueueSizeLimitBytes = queueSizeLimitBytes,

            // A manual clock means the test drives supervision itself, with CheckOnce.
            UseWatchdog = time is null || time == TimeProvider.System,
        };

    /// <summary>Waits for a condition another thread brings about; the timeout only guards against a hang.</summary>
    public static void Eventually(Func<bool> condition, string what)
    {
        if (!SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(30))) Assert.Fail($"timed out waiting until {what}");
    }

    /// <summary>Checks the accounting identity: every emitted event is written, dropped or pending.</summary>
    public static void AssertAccounted(long emitted, NonBlockingLogSnapshot s) =>
        Assert.True(emitted == s.Written + s.Dropped + s.Pending,
            $"emitted {emitted} != written {s.Written} + dropped {s.Dropped} ({string.Join(", ", s.DroppedByReason.Select(kv => $"{kv.Key}={kv.Value}"))}) + pending {s.Pending}");
}
