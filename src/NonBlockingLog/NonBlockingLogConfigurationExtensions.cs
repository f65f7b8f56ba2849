using System.Text;
using NonBlockingLog.Consumption;
using NonBlockingLog.Files;
using NonBlockingLog.Settings;
using NonBlockingLog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Sinks.File;
using Serilog.Formatting;

namespace Serilog;

/// <summary>
/// <c>WriteTo.NonBlocking(...)</c> and <c>WriteTo.NonBlockingFile(...)</c>. The parameter names are also the
/// keys of <c>appsettings.json</c> (through Serilog.Settings.Configuration), so they are the public contract.
/// </summary>
public static class NonBlockingLogConfigurationExtensions
{
    const string DefaultOutputTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message:lj}{NewLine}{Exception}";
    const long DefaultFileSizeLimitBytes = 1L * 1024 * 1024 * 1024;
    const int DefaultRetainedFileCountLimit = 31;

    /// <summary>
    /// Wraps the sinks built by <paramref name="configure"/> so that callers hand events to a bounded in-memory
    /// queue and return at once; a dedicated background thread writes them in batches.
    /// </summary>
    /// <param name="sinkConfiguration">The sink configuration being extended.</param>
    /// <param name="configure">Required. Builds the sink(s) that receive the events, as <c>WriteTo</c> does.</param>
    /// <param name="capacity">Most events held in memory. The default is <c>10000</c>.</param>
    /// <param name="fullMode">What to do with a new event when the queue is full: <c>DropNewest</c>, <c>DropOldest</c> or <c>Wait</c> (in appsettings.json in any letter case). The default is <see cref="QueueFullMode.DropNewest"/>.</param>
    /// <param name="waitTimeout">In <see cref="QueueFullMode.Wait"/>, the longest a caller waits for room. The default is 100 ms.</param>
    /// <param name="batchSizeLimit">Most events the consumer takes in one batch. The default is <c>1000</c>.</param>
    /// <param name="shutdownTimeout">The longest disposal waits to drain the queue. The default is 5 seconds.</param>
    /// <param name="stallTimeout">How long pending work may see no progress before the consumer counts as stalled. The default is 10 seconds.</param>
    /// <param name="reservedForWarnings">Queue slots kept for Warning and above: once the queue holds <c>capacity - reservedForWarnings</c> events, lower levels are dropped (reason <c>level_reserve</c>; in <c>Wait</c> mode they wait for room below that), so a flood of low-level events never costs a warning or an error. <c>0</c> turns the reserve off. The default (<c>null</c>) is a fifth of <paramref name="capacity"/>: 2000 of the default 10000.</param>
    /// <param name="queueSizeLimitBytes">The most memory, estimated cheaply on the caller's side, that the queue's large events (estimated at 1 KB or more) may hold; an event that would pass it is dropped (reason <c>memory_limit</c>; in <c>Wait</c> mode it waits for room). Ordinary events are bounded by <paramref name="capacity"/> alone. <c>null</c> for no limit in bytes. The default is 64 MB.</param>
    /// <param name="escapeControlCharacters">Escape control characters (line breaks among them) in what the events carry (the template's text, property names and values, the exception's text) before the wrapped sinks see it, as <c>\n</c>, <c>\r</c> or <c>\uXXXX</c>, so that user input cannot forge log lines. The default is <c>false</c>.</param>
    /// <param name="floodLimit">The flood guard: the most events of one message template written per second; the rest of that second's events of the template are suppressed before the queue (reason <c>flood_limit</c>) and summed up in one line per template. <c>0</c> turns the guard off. The default is <c>100000</c>, well above request logging at tens of thousands of requests a second.</param>
    /// <param name="name">Identifies the sink in counters, metrics and diagnostics. The default is <c>nonblocking-N</c>.</param>
    /// <param name="restrictedToMinimumLevel">The minimum level of events passed to the sink.</param>
    /// <param name="levelSwitch">A switch to change the minimum level at run time; overrides <paramref name="restrictedToMinimumLevel"/>.</param>
    /// <returns>Configuration object allowing method chaining.</returns>
    public static LoggerConfiguration NonBlocking(
        this LoggerSinkConfiguration sinkConfiguration,
        // Defaulted only so that Serilog.Settings.Configuration still selects this method when appsettings.json
        // leaves "configure" out; otherwise it skips the sink with just a SelfLog line.
        Action<LoggerSinkConfiguration>? configure = null,
        int capacity = NonBlockingSinkOptions.DefaultCapacity,
        QueueFullMode fullMode = QueueFullMode.DropNewest,
        TimeSpan? waitTimeout = null,
        int batchSizeLimit = NonBlockingSinkOptions.DefaultBatchSizeLimit,
        TimeSpan? shutdownTimeout = null,
        TimeSpan? stallTimeout = null,
        int? reservedForWarnings = null,
        long? queueSizeLimitBytes = NonBlockingSinkOptions.DefaultQueueSizeLimitBytes,
        bool escapeControlCharacters = false,
        int floodLimit = NonBlockingSinkOptions.DefaultFloodLimit,
        string? name = null,
        LogEventLevel restrictedToMinimumLevel = LevelAlias.Minimum,
        LoggingLevelSwitch? levelSwitch = null)
    {
        ArgumentNullException.ThrowIfNull(sinkConfiguration);
        var problems = new SettingProblems();
        NonBlockingSinkOptions.CheckConfigure(problems, configure);
        problems.ThrowFirst();
        var buildDestination = configure!;
        var options = NonBlockingSinkOptions.Create(capacity, fullMode, waitTimeout, batchSizeLimit, shutdownTimeout, stallTimeout, reservedForWarnings, name, "nonblocking", queueSizeLimitBytes, floodLimit);
        // The sink owns what configure built and disposes it once; a stall recovery builds it anew. It filters by
        // level itself, so that Serilog adds no wrapper around it.
        var sink = new NonBlockingSink(options.WithLevel(restrictedToMinimumLevel, levelSwitch),
            failures => new SinkBatchWriter(LoggerSinkConfiguration.CreateSink(buildDestination), failures, escapeControlCharacters));
        return sinkConfiguration.Sink(sink);
    }

    /// <summary>
    /// Writes events to a file through a bounded in-memory queue: callers return at once, and a dedicated
    /// background thread writes each batch with Serilog.Sinks.File and flushes it to the operating system once.
    /// </summary>
    /// <param name="sinkConfiguration">The sink configuration being extended.</param>
    /// <param name="path">Required. Path to the log file. With a rolling interval or size roll, a date and/or sequence number is inserted before the extension.</param>
    /// <param name="outputTemplate">The text template of each line. Ignored when <paramref name="formatter"/> is given.</param>
    /// <param name="formatter">Formats events to text, in place of <paramref name="outputTemplate"/> (for example a JSON formatter).</param>
    /// <param name="formatProvider">Culture-specific formatting for <paramref name="outputTemplate"/>, or <c>null</c>.</param>
    /// <param name="rollingInterval">How often a new file is started. The default is <see cref="RollingInterval.Infinite"/>.</param>
    /// <param name="fileSizeLimitBytes">Approximate largest size of one file; <c>null</c> for no limit. The default is 1 GB.</param>
    /// <param name="rollOnFileSizeLimit">Start a new file when the size limit is reached, instead of dropping writes. The default is <c>false</c>.</param>
    /// <param name="retainedFileCountLimit">Most rolled files kept; <c>null</c> keeps all. The default is 31.</param>
    /// <param name="flushToDiskInterval">If given, the consumer also forces the file to disk (fsync) at most this often.</param>
    /// <param name="encoding">Text encoding of the file. The default is UTF-8 without a byte-order mark.</param>
    /// <param name="escapeControlCharacters">Escape control characters (line breaks among them) in what comes from the event (property names and values, the rendered message, the exception), as <c>\n</c>, <c>\r</c> or <c>\uXXXX</c>, so that user input cannot forge log lines: each event is one line, and an exception one more. JSON formatters escape anyway. The default is <c>false</c>.</param>
    /// <param name="fileMode">On Unix, the permissions of the files this sink creates, in octal; folders it creates get execute wherever read is set. The default is <c>"0640"</c> (owner read and write, group read): logs often hold personal data.</param>
    /// <param name="hooks">Serilog.Sinks.File lifecycle hooks (a header on each new file, archiving before retention deletes one), run on the file as it is opened, beneath NonBlockingFile's own buffering. A hook that transforms the stream (compression) makes the file's exactness after an I/O outage its own business.</param>
    /// <param name="retainedFileTimeLimit">Delete rolled files older than this, as Serilog.Sinks.File does; <c>null</c> (the default) keeps them whatever their age.</param>
    /// <param name="buffered">Accepted for compatibility with Serilog.Sinks.File's settings, and needs nothing: NonBlockingFile always gathers a batch and hands it to the operating system once.</param>
    /// <param name="shared">Not supported (a configuration error if <c>true</c>): NonBlockingFile keeps its counts exact by owning its file. Wrap Serilog's File sink in <c>NonBlocking</c> to share a file between processes.</param>
    /// <param name="capacity">Most events held in memory. The default is <c>10000</c>.</param>
    /// <param name="fullMode">What to do with a new event when the queue is full: <c>DropNewest</c>, <c>DropOldest</c> or <c>Wait</c> (in appsettings.json in any letter case). The default is <see cref="QueueFullMode.DropNewest"/>.</param>
    /// <param name="waitTimeout">In <see cref="QueueFullMode.Wait"/>, the longest a caller waits for room. The default is 100 ms.</param>
    /// <param name="batchSizeLimit">Most events the consumer takes in one batch. The default is <c>1000</c>.</param>
    /// <param name="shutdownTimeout">The longest disposal waits to drain the queue. The default is 5 seconds.</param>
    /// <param name="stallTimeout">How long pending work may see no progress before the consumer counts as stalled. The default is 10 seconds.</param>
    /// <param name="reservedForWarnings">Queue slots kept for Warning and above: once the queue holds <c>capacity - reservedForWarnings</c> events, lower levels are dropped (reason <c>level_reserve</c>; in <c>Wait</c> mode they wait for room below that), so a flood of low-level events never costs a warning or an error. <c>0</c> turns the reserve off. The default (<c>null</c>) is a fifth of <paramref name="capacity"/>: 2000 of the default 10000.</param>
    /// <param name="queueSizeLimitBytes">The most memory, estimated cheaply on the caller's side, that the queue's large events (estimated at 1 KB or more) may hold; an event that would pass it is dropped (reason <c>memory_limit</c>; in <c>Wait</c> mode it waits for room). Ordinary events are bounded by <paramref name="capacity"/> alone. <c>null</c> for no limit in bytes. The default is 64 MB.</param>
    /// <param name="floodLimit">The flood guard: the most events of one message template written per second; the rest of that second's events of the template are suppressed before the queue (reason <c>flood_limit</c>) and summed up in one line per template. <c>0</c> turns the guard off. The default is <c>100000</c>, well above request logging at tens of thousands of requests a second.</param>
    /// <param name="name">Identifies the sink in counters, metrics and diagnostics. The default is <c>file-N</c>.</param>
    /// <param name="restrictedToMinimumLevel">The minimum level of events passed to the sink.</param>
    /// <param name="levelSwitch">A switch to change the minimum level at run time; overrides <paramref name="restrictedToMinimumLevel"/>.</param>
    /// <returns>Configuration object allowing method chaining.</returns>
    public static LoggerConfiguration NonBlockingFile(
        this LoggerSinkConfiguration sinkConfiguration,
        // Defaulted only so that Serilog.Settings.Configuration still selects this method when appsettings.json
        // leaves "path" out; otherwise it skips the sink with just a SelfLog line, and the check below never runs.
        string path = "",
        string outputTemplate = DefaultOutputTemplate,
        ITextFormatter? formatter = null,
        IFormatProvider? formatProvider = null,
        RollingInterval rollingInterval = RollingInterval.Infinite,
        long? fileSizeLimitBytes = DefaultFileSizeLimitBytes,
        bool rollOnFileSizeLimit = false,
        int? retainedFileCountLimit = DefaultRetainedFileCountLimit,
        TimeSpan? flushToDiskInterval = null,
        Encoding? encoding = null,
        bool escapeControlCharacters = false,
        string? fileMode = null,
        FileLifecycleHooks? hooks = null,
        TimeSpan? retainedFileTimeLimit = null,
        bool buffered = false,
        bool shared = false,
        int capacity = NonBlockingSinkOptions.DefaultCapacity,
        QueueFullMode fullMode = QueueFullMode.DropNewest,
        TimeSpan? waitTimeout = null,
        int batchSizeLimit = NonBlockingSinkOptions.DefaultBatchSizeLimit,
        TimeSpan? shutdownTimeout = null,
        TimeSpan? stallTimeout = null,
        int? reservedForWarnings = null,
        long? queueSizeLimitBytes = NonBlockingSinkOptions.DefaultQueueSizeLimitBytes,
        int floodLimit = NonBlockingSinkOptions.DefaultFloodLimit,
        string? name = null,
        LogEventLevel restrictedToMinimumLevel = LevelAlias.Minimum,
        LoggingLevelSwitch? levelSwitch = null)
    {
        ArgumentNullException.ThrowIfNull(sinkConfiguration);
        // buffered needs nothing: every batch is gathered and handed to the operating system once anyway.
        _ = buffered;
        var file = FileWriterOptions.Create(path, outputTemplate, formatter, formatProvider, rollingInterval, fileSizeLimitBytes,
            rollOnFileSizeLimit, retainedFileCountLimit, flushToDiskInterval, encoding, escapeControlCharacters, hooks, retainedFileTimeLimit, fileMode, shared);
        var options = NonBlockingSinkOptions.Create(capacity, fullMode, waitTimeout, batchSizeLimit, shutdownTimeout, stallTimeout, reservedForWarnings, name, "file", queueSizeLimitBytes, floodLimit);
        var ownership = new FileOwnership(file);
        var sink = new NonBlockingSink(options.WithLevel(restrictedToMinimumLevel, levelSwitch),
            failures => new FileBatchWriter(file, options.TimeProvider, failures, ownership));
        return sinkConfiguration.Sink(sink);
    }
}
