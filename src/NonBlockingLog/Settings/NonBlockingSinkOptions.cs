namespace NonBlockingLog.Settings;

/// <summary>
/// The validated settings of one sink, built once at the entry point from the public parameters and passed
/// inward. Every default and every rule lives here; property names match the JSON keys.
/// </summary>
internal sealed class NonBlockingSinkOptions
{
    public const int DefaultCapacity = 10_000;
    public const int DefaultBatchSizeLimit = 1_000;
    public const long DefaultQueueSizeLimitBytes = 64L * 1024 * 1024;
    public const int DefaultFloodLimit = 100_000;

    /// <summary>The default share of the queue kept for warnings and errors, as logback keeps it: a fifth of capacity.</summary>
    public const int DefaultReserveDivisor = 5;
    public static readonly TimeSpan DefaultWaitTimeout = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultStallTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultDozeInterval = TimeSpan.FromMilliseconds(1);

    // Monitor.Wait and Thread.Join take whole milliseconds in an int.
    static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    static int s_unnamedSinks;

    // Below this an event is not counted in bytes, so a smaller limit could never be reached by the events it counts.
    const int EventSizeThreshold = Queueing.EventSize.LargeThreshold;

    public required string Name { get; init; }
    public int Capacity { get; init; } = DefaultCapacity;
    public QueueFullMode FullMode { get; init; } = QueueFullMode.DropNewest;
    public TimeSpan WaitTimeout { get; init; } = DefaultWaitTimeout;
    public int BatchSizeLimit { get; init; } = DefaultBatchSizeLimit;
    public TimeSpan ShutdownTimeout { get; init; } = DefaultShutdownTimeout;
    public TimeSpan StallTimeout { get; init; } = DefaultStallTimeout;

    /// <summary>Queue slots only Warning and above may use; 0 turns the reserve off. Create makes a fifth of capacity the default.</summary>
    public int ReservedForWarnings { get; init; }

    /// <summary>
    /// The most events of one message template written per second; 0 turns the flood guard off. Create makes
    /// <see cref="DefaultFloodLimit"/> the default; built directly (in tests) the guard is off unless set.
    /// </summary>
    public int FloodLimit { get; init; }

    /// <summary>The most estimated bytes the queue's large events may hold (see EventSize); null for no limit.</summary>
    public long? QueueSizeLimitBytes { get; init; } = DefaultQueueSizeLimitBytes;

    /// <summary>Events below this level are ignored (restrictedToMinimumLevel), unless <see cref="LevelSwitch"/> decides.</summary>
    public Serilog.Events.LogEventLevel MinimumLevel { get; private set; } = Serilog.Events.LevelAlias.Minimum;

    /// <summary>The switch that decides the minimum level at run time (levelSwitch), or <c>null</c>.</summary>
    public Serilog.Core.LoggingLevelSwitch? LevelSwitch { get; private set; }

    /// <summary>Test seam: false leaves supervision to explicit Supervisor.CheckOnce calls.</summary>
    public bool UseWatchdog { get; init; } = true;

    /// <summary>Test seam: the longest the consumer dozes on an empty queue before it looks again (EventQueue).</summary>
    public TimeSpan DozeInterval { get; init; } = DefaultDozeInterval;

    /// <summary>Test seam: runs on the consumer before each batch, outside the per-event handling.</summary>
    public Action<Serilog.Events.LogEvent>? BeforeBatch { get; init; }

    /// <summary>Timestamps, drop-notice windows and stall detection read this clock; tests pass a manual one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The least time between two drop notices written into the log, so that drops never flood it.</summary>
    public TimeSpan DropNoticeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The reserve a sink of <paramref name="capacity"/> gets when reservedForWarnings is not set.</summary>
    public static int DefaultReservedForWarnings(int capacity) => Math.Max(capacity, 0) / DefaultReserveDivisor;

    public static NonBlockingSinkOptions Create(
        int capacity, QueueFullMode fullMode, TimeSpan? waitTimeout, int batchSizeLimit,
        TimeSpan? shutdownTimeout, TimeSpan? stallTimeout, int? reservedForWarnings, string? name, string defaultNamePrefix,
        long? queueSizeLimitBytes = DefaultQueueSizeLimitBytes, int floodLimit = DefaultFloodLimit)
    {
        var problems = new SettingProblems();
        Check(problems, capacity, fullMode, waitTimeout, batchSizeLimit, shutdownTimeout, stallTimeout, reservedForWarnings, name, queueSizeLimitBytes, floodLimit);
        problems.ThrowFirst();

        return new NonBlockingSinkOptions
        {
            Name = name ?? $"{defaultNamePrefix}-{Interlocked.Increment(ref s_unnamedSinks)}",
            Capacity = capacity,
            FullMode = fullMode,
            WaitTimeout = waitTimeout ?? DefaultWaitTimeout,
            BatchSizeLimit = batchSizeLimit,
            ShutdownTimeout = shutdownTimeout ?? DefaultShutdownTimeout,
            StallTimeout = stallTimeout ?? DefaultStallTimeout,
            ReservedForWarnings = reservedForWarnings ?? DefaultReservedForWarnings(capacity),
            QueueSizeLimitBytes = queueSizeLimitBytes,
            FloodLimit = floodLimit,
        };
    }

    /// <summary>The rules for the queue's settings, shared by both entry points and the configuration validator.</summary>
    public static void Check(
        SettingProblems problems, int capacity, QueueFullMode fullMode, TimeSpan? waitTimeout, int batchSizeLimit,
        TimeSpan? shutdownTimeout, TimeSpan? stallTimeout, int? reservedForWarnings, string? name,
        long? queueSizeLimitBytes = DefaultQueueSizeLimitBytes, int floodLimit = DefaultFloodLimit)
    {
        if (queueSizeLimitBytes is < EventSizeThreshold) problems.OutOfRange(nameof(queueSizeLimitBytes), queueSizeLimitBytes, $"queueSizeLimitBytes must be at least {EventSizeThreshold} (bytes), or null for no limit in bytes; the default is {DefaultQueueSizeLimitBytes} (64 MB).");
        if (capacity < 1) problems.OutOfRange(nameof(capacity), capacity, "capacity must be at least 1 (the number of events held in memory).");
        if (batchSizeLimit < 1) problems.OutOfRange(nameof(batchSizeLimit), batchSizeLimit, "batchSizeLimit must be at least 1 (the most events written in one batch).");
        CheckPolicy(problems, fullMode, waitTimeout, reservedForWarnings, capacity, floodLimit);
        CheckTimeout(problems, shutdownTimeout, nameof(shutdownTimeout));
        CheckTimeout(problems, stallTimeout, nameof(stallTimeout));
        if (name is not null && string.IsNullOrWhiteSpace(name)) problems.Invalid(nameof(name), "name must not be empty or white space; omit it for a generated name.");
    }

    /// <summary>The rule for NonBlocking's wrapped sinks, which appsettings.json may leave out.</summary>
    public static void CheckConfigure(SettingProblems problems, object? configure)
    {
        if (configure is null) problems.Invalid("configure", "configure is required: the sink(s) to wrap, such as [ { \"Name\": \"File\", \"Args\": { \"path\": \"logs/app.log\" } } ].");
    }

    /// <summary>The rules for the settings that may also change while the sink runs (see NonBlockingLogSinks.UpdatePolicy); throws the first problem.</summary>
    public static void CheckPolicy(QueueFullMode fullMode, TimeSpan? waitTimeout, int? reservedForWarnings, int capacity, int floodLimit)
    {
        var problems = new SettingProblems();
        CheckPolicy(problems, fullMode, waitTimeout, reservedForWarnings, capacity, floodLimit);
        problems.ThrowFirst();
    }

    static void CheckPolicy(SettingProblems problems, QueueFullMode fullMode, TimeSpan? waitTimeout, int? reservedForWarnings, int capacity, int floodLimit)
    {
        if (!Enum.IsDefined(fullMode)) problems.OutOfRange(nameof(fullMode), fullMode, "fullMode must be DropNewest, DropOldest or Wait.");
        CheckTimeout(problems, waitTimeout, nameof(waitTimeout));
        // Against a capacity below 1 (itself reported) any reserve would look wrong, so it is not judged.
        if (reservedForWarnings is { } reserved && (reserved < 0 || (capacity >= 1 && reserved >= capacity)))
            problems.OutOfRange(nameof(reservedForWarnings), reserved, $"reservedForWarnings must be at least 0 and less than capacity ({capacity}); 0 turns the reserve off, and the default is a fifth of capacity ({DefaultReservedForWarnings(capacity)}).");
        if (floodLimit < 0) problems.OutOfRange(nameof(floodLimit), floodLimit, $"floodLimit must be at least 0 (the most events of one message template written per second); 0 turns the flood guard off, and the default is {DefaultFloodLimit}.");
    }

    static void CheckTimeout(SettingProblems problems, TimeSpan? value, string setting)
    {
        if (value is { } v && (v <= TimeSpan.Zero || v > MaxTimeout))
            problems.OutOfRange(setting, v, $"{setting} must be a positive duration of at most {MaxTimeout.TotalDays:0} days, such as \"00:00:00.100\".");
    }

    /// <summary>These settings, filtered by level as restrictedToMinimumLevel and levelSwitch say (the switch wins).</summary>
    public NonBlockingSinkOptions WithLevel(Serilog.Events.LogEventLevel minimumLevel, Serilog.Core.LoggingLevelSwitch? levelSwitch)
    {
        var copy = (NonBlockingSinkOptions)MemberwiseClone();
        copy.MinimumLevel = minimumLevel;
        copy.LevelSwitch = levelSwitch;
        return copy;
    }
}
