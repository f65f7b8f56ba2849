using NonBlockingLog.Files;
using NonBlockingLog.Settings;
using Serilog;
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

    /// <summary>A sink name no other test uses, such as "contract-3f2a…": sink names are unique per process while the sink lives.</summary>
    public static string UniqueName(string role) => $"{role}-{Guid.NewGuid():n}";

    internal static NonBlockingSinkOptions Options(
        int capacity = 10_000, QueueFullMode fullMode = QueueFullMode.DropNewest, TimeSpan? waitTimeout = null,
        int batchSizeLimit = 1000, TimeSpan? shutdownTimeout = null, TimeProvider? time = null, string? name = null,
        TimeSpan? stallTimeout = null, int reservedForWarnings = 0, Action<LogEvent>? beforeBatch = null, TimeSpan? dozeInterval = null,
        long? queueSizeLimitBytes = NonBlockingSinkOptions.DefaultQueueSizeLimitBytes) =>
        new()
        {
            Name = name ?? UniqueName("test"),
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

            // A fake clock means the test drives supervision itself, with CheckOnce.
            UseWatchdog = time is null || time == TimeProvider.System,
        };

    /// <summary>The file settings of <c>WriteTo.NonBlockingFile</c>: one file, no rolling, each message on a line of its own unless told.</summary>
    internal static FileWriterOptions FileOptions(
        string path, string outputTemplate = "{Message:lj}{NewLine}", long? fileSizeLimitBytes = null, bool rollOnFileSizeLimit = false) =>
        FileWriterOptions.Create(path, outputTemplate, formatter: null, formatProvider: null, RollingInterval.Infinite,
            fileSizeLimitBytes, rollOnFileSizeLimit, retainedFileCountLimit: null, flushToDiskInterval: null, encoding: null);

    /// <summary>Checks the accounting identity: every emitted event is written, dropped or pending.</summary>
    public static void AssertAccounted(long emitted, NonBlockingLogSnapshot s) =>
        Assert.True(emitted == s.Written + s.Dropped + s.Pending,
            $"emitted {emitted} != written {s.Written} + dropped {s.Dropped} ({string.Join(", ", s.DroppedByReason.Select(kv => $"{kv.Key}={kv.Value}"))}) + pending {s.Pending}");
}
