using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Tests.Consumption;

/// <summary>
/// What Serilog 4 expects of a wrapper sink, tested through Serilog's own configuration API: the wrapped sink is
/// disposed exactly once, the failure listener (Fallible, FallbackChain, the app's) hears of every dropped event,
/// the destination's own failure reports are honoured, and a sink's name is unique while it lives.
/// </summary>
public sealed class SerilogContractTests
{
    [Theory]
    [InlineData(false, LogEventLevel.Verbose)]
    [InlineData(true, LogEventLevel.Verbose)]
    [InlineData(false, LogEventLevel.Warning)]
    [InlineData(true, LogEventLevel.Warning)]
    public async Task Dispose_FromCode_DisposesTheWrappedSinkExactlyOnce(bool async, LogEventLevel minimumLevel)
    {
        var inner = new CollectingSink();
        var log = new LoggerConfiguration()
            .WriteTo.NonBlocking(to => to.Sink(inner), name: Some.UniqueName("contract"), restrictedToMinimumLevel: minimumLevel)
            .CreateLogger();
        log.Warning("kept");
        log.Information("filtered unless the minimum is Verbose");

        if (async) await log.DisposeAsync();
        else log.Dispose();

        Assert.Equal(1, inner.Disposals);
        Assert.Equal(minimumLevel == LogEventLevel.Verbose ? 2 : 1, inner.CallerEvents.Count());
    }

    [Fact]
    public void RestrictedToMinimumLevel_ForEventsBelowIt_FiltersBeforeTheQueueAndLeavesTheAccountingAlone()
    {
        var name = Some.UniqueName("contract");
        var inner = new CollectingSink();
        using (var log = new LoggerConfiguration().MinimumLevel.Verbose()
                   .WriteTo.NonBlocking(to => to.Sink(inner), name: name, restrictedToMinimumLevel: LogEventLevel.Warning)
                   .CreateLogger())
        {
            log.Debug("below");
            log.Information("below");
            log.Error("kept");
        }

        Assert.Equal(LogEventLevel.Error, Assert.Single(inner.CallerEvents).Level);
    }

    [Fact]
    public void LevelSwitch_ChangedWhileRunning_DecidesTheMinimumLevel()
    {
        var inner = new CollectingSink();
        var levelSwitch = new LoggingLevelSwitch(LogEventLevel.Error);
        using (var log = new LoggerConfiguration().MinimumLevel.Verbose()
                   .WriteTo.NonBlocking(to => to.Sink(inner), name: Some.UniqueName("contract"), levelSwitch: levelSwitch)
                   .CreateLogger())
        {
            log.Warning("below the switch");
            levelSwitch.MinimumLevel = LogEventLevel.Warning;
            log.Warning("at the switch");
        }

        Assert.Equal("at the switch", Assert.Single(inner.CallerEvents).MessageTemplate.Text);
    }

    [Fact]
    public async Task Fallible_WhenTheQueueIsFull_ListenerHearsOfEachDropOnTheCallersPathWithTheEvent()
    {
        var listener = new RecordingListener();
        var gate = new GatedSink();
        var log = new LoggerConfiguration()
            .WriteTo.Fallible(wt => wt.NonBlocking(to => to.Sink(gate), capacity: 1, name: Some.UniqueName("contract"), restrictedToMinimumLevel: LogEventLevel.Debug), listener)
            .CreateLogger();
        await gate.HoldConsumerAsync(() => log.Information("1")); // the consumer hangs in the gate with it
        log.Information("2"); // fills the queue
        log.Information("3"); // dropped: queue_full

        var report = Assert.Single(listener.Reports);
        Assert.Equal(LoggingFailureKind.Permanent, report.Kind);
        Assert.Contains("queue_full", report.Message);
        Assert.Equal("3", Assert.Single(report.Events!).MessageTemplate.Text);

        gate.Release();
        await log.DisposeAsync();
        Assert.Single(listener.Reports);
    }

    [Fact]
    public void Fallible_WhenTheDestinationThrows_ListenerHearsOfTheEventsItThrewFor()
    {
        var listener = new RecordingListener();
        var inner = new ThrowingSink(2);
        using (var log = new LoggerConfiguration()
                   .WriteTo.Fallible(wt => wt.NonBlocking(to => to.Sink(inner), name: Some.UniqueName("contract")), listener)
                   .CreateLogger())
        {
            for (var i = 1; i <= 3; i++) log.Information("Event {Number}", i);
        }

        var report = Assert.Single(listener.Reports, r => r.Message.Contains("sink_failure"));
        Assert.Equal(LoggingFailureKind.Permanent, report.Kind);
        Assert.Equal(2, Some.NumberOf(Assert.Single(report.Events!)));
        Assert.IsType<InvalidOperationException>(report.Exception);
    }

    [Fact]
    public async Task Fallible_WhenShutdownTimesOut_ListenerHearsOfTheLostEventsAsFinal()
    {
        var listener = new RecordingListener();
        var gate = new GatedSink();
        var log = new LoggerConfiguration()
            .WriteTo.Fallible(wt => wt.NonBlocking(to => to.Sink(gate), name: Some.UniqueName("contract"), shutdownTimeout: TimeSpan.FromMilliseconds(50)), listener)
            .CreateLogger();
        await gate.HoldConsumerAsync(() => log.Information("1"));
        log.Information("2");

        log.Dispose();
        gate.Release();

        var report = Assert.Single(listener.Reports);
        Assert.Equal(LoggingFailureKind.Final, report.Kind);
        Assert.Contains("shutdown_timeout", report.Message);
        Assert.Equal(["1", "2"], report.Events!.Select(e => e.MessageTemplate.Text).Order());
    }

    [Fact]
    public async Task FallbackChain_WhenTheQueueIsFull_DroppedEventsReachTheFallbackSink()
    {
        var gate = new GatedSink();
        var fallback = new CollectingSink();
        var log = new LoggerConfiguration()
            .WriteTo.FallbackChain(
                wt => wt.NonBlocking(to => to.Sink(gate), capacity: 1, name: Some.UniqueName("contract")),
                wt => wt.Sink(fallback))
            .CreateLogger();
        await gate.HoldConsumerAsync(() => log.Information("1"));
        log.Information("2");
        log.Information("3");
        log.Information("4");

        Assert.Equal(["3", "4"], fallback.CallerEvents.Select(e => e.MessageTemplate.Text));
        gate.Release();
        await log.DisposeAsync();
        Assert.Equal(["1", "2"], gate.CallerEvents.Select(e => e.MessageTemplate.Text));
    }

    [Fact]
    public void Fallible_WhenTheListenerThrows_NothingReachesTheCallerOrTheConsumer()
    {
        var inner = new ThrowingSink { FailAlways = true };
        var listener = new ThrowingListener();
        var name = Some.UniqueName("contract");
        INonBlockingLogInspector? sink = null;
        var thrown = Record.Exception(() =>
        {
            using var log = new LoggerConfiguration()
                .WriteTo.Fallible(wt => wt.NonBlocking(to => to.Sink(inner), name: name), listener)
                .CreateLogger();
            sink = NonBlockingLogSinks.Find(name)!;
            for (var i = 0; i < 10; i++) log.Information("Event {Number}", i);
        });

        // The listener was told of every failed event and threw each time; neither the caller nor the consumer
        // saw it, and the sink counted the events all the same.
        Assert.Null(thrown);
        Assert.Equal(10, listener.DroppedEvents);
        var s = sink!.GetSnapshot();
        Assert.Equal(10, s.DroppedByReason[DropReason.SinkFailure]);
        Assert.Equal(0, s.FaultRestarts);
    }

    // Serilog.Sinks.File 7 reports an event past fileSizeLimitBytes (without rolling) to its failure listener instead
    // of throwing; the event must count as a sink failure, not as written, and the file holds exactly the written ones.
    [Fact]
    public void NonBlockingWrappingFile_EventsPastTheSizeLimit_CountAsSinkFailuresNotWritten()
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        var name = Some.UniqueName("contract");
        var listener = new RecordingListener();
        INonBlockingLogInspector sink;
        using (var log = new LoggerConfiguration()
                   .WriteTo.Fallible(wt => wt.NonBlocking(to => to.File(path, outputTemplate: "{Message:lj}{NewLine}", fileSizeLimitBytes: 100), name: name), listener)
                   .CreateLogger())
        {
            sink = NonBlockingLogSinks.Find(name)!;
            for (var i = 0; i < 50; i++) log.Information("line {Number:000}", i);
        }

        var s = sink.GetSnapshot();

        var lines = File.ReadAllLines(path);
        Assert.InRange(lines.Length, 1, 49);
        Assert.Equal(lines.Length, s.Written);
        Assert.Equal(50 - lines.Length, s.DroppedByReason[DropReason.SinkFailure]);
        Assert.Equal(50 - lines.Length, listener.Reports.Where(r => r.Message.Contains("sink_failure")).Sum(r => r.Events!.Count));
        Some.AssertAccounted(50, s);
    }

    [Fact]
    public void Configure_ASecondLiveSinkWithTheSameName_FailsAndLeavesTheFirstVisible()
    {
        var name = Some.UniqueName("contract");
        var first = new CollectingSink();
        var second = new CollectingSink();
        using var log = new LoggerConfiguration().WriteTo.NonBlocking(to => to.Sink(first), name: name).CreateLogger();

        var error = Assert.Throws<InvalidOperationException>(() =>
            new LoggerConfiguration().WriteTo.NonBlocking(to => to.Sink(second), name: name).CreateLogger());

        Assert.Contains($"\"{name}\" is already running", error.Message);
        Assert.Same(NonBlockingLogSinks.Find(name), NonBlockingLogSinks.All.Single(s => s.Name == name));
        log.Information("still the first");
        log.Dispose();
        Assert.Single(first.CallerEvents);
        Assert.Null(NonBlockingLogSinks.Find(name));
    }

    [Fact]
    public void Configure_TheSameNameAfterTheFirstIsDisposed_Succeeds()
    {
        var name = Some.UniqueName("contract");
        new LoggerConfiguration().WriteTo.NonBlocking(to => to.Sink(new CollectingSink()), name: name).CreateLogger().Dispose();
        using var again = new LoggerConfiguration().WriteTo.NonBlocking(to => to.Sink(new CollectingSink()), name: name).CreateLogger();
        Assert.NotNull(NonBlockingLogSinks.Find(name));
    }

    sealed record Report(LoggingFailureKind Kind, string Message, IReadOnlyCollection<LogEvent>? Events, Exception? Exception);

    sealed class RecordingListener : ILoggingFailureListener
    {
        readonly List<Report> _reports = [];

        public IReadOnlyList<Report> Reports
        {
            get
            {
                lock (_reports) return _reports.Where(r => r.Kind != LoggingFailureKind.Temporary).ToArray();
            }
        }

        public void OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception)
        {
            lock (_reports) _reports.Add(new Report(kind, message, events?.ToArray(), exception));
        }
    }

    sealed class ThrowingListener : ILoggingFailureListener
    {
        int _droppedEvents;

        /// <summary>The events it was told were lost for good, each time before it threw.</summary>
        public int DroppedEvents => Volatile.Read(ref _droppedEvents);

        public void OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception)
        {
            if (kind != LoggingFailureKind.Temporary) Interlocked.Add(ref _droppedEvents, events?.Count ?? 0);
            throw new InvalidOperationException("listener failure");
        }
    }
}
