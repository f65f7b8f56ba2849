using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Consumption;
using NonBlockingLog.Settings;
using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Tests.Flooding;

/// <summary>
/// Issue 14's incident at test scale, with default settings: one call site logs as fast as it can while another
/// logs errors. Every error must be written, and every event accounted for. The tests that hold the consumer at a
/// gate run on a clock that only they move, so that no flood window, drop notice or stall check can change the
/// numbers while the queue fills.
/// </summary>
public sealed class FloodScenarioTests
{
    const string FloodTemplate = "unknown event {Kind} from watcher {Watcher}";
    const string ErrorTemplate = "watcher {Watcher} failed to reconnect: {Reason}";
    static readonly MessageTemplate Flood = new MessageTemplateParser().Parse(FloodTemplate);
    static readonly MessageTemplate Error = new MessageTemplateParser().Parse(ErrorTemplate);

    static string NewName() => "flood-scenario-" + Guid.NewGuid().ToString("n");

    static LogEvent FloodEvent(int watcher) =>
        new(DateTimeOffset.UtcNow, LogEventLevel.Information, null, Flood,
            [new LogEventProperty("Kind", new ScalarValue("closed")), new LogEventProperty("Watcher", new ScalarValue(watcher))]);

    static LogEvent ErrorEvent(int watcher) =>
        new(DateTimeOffset.UtcNow, LogEventLevel.Error, null, Error,
            [new LogEventProperty("Watcher", new ScalarValue(watcher)), new LogEventProperty("Reason", new ScalarValue("connection reset"))]);

    /// <summary>
    /// The options <c>WriteTo.NonBlocking</c> makes from its defaults (and the few settings given), on a clock the
    /// test owns, with supervision left to the test.
    /// </summary>
    static NonBlockingSinkOptions Defaults(
        int capacity = NonBlockingSinkOptions.DefaultCapacity, QueueFullMode fullMode = QueueFullMode.DropNewest, TimeSpan? waitTimeout = null)
    {
        var d = NonBlockingSinkOptions.Create(capacity, fullMode, waitTimeout, NonBlockingSinkOptions.DefaultBatchSizeLimit,
            shutdownTimeout: null, stallTimeout: null, reservedForWarnings: null, NewName(), "flood-scenario");
        return new NonBlockingSinkOptions
        {
            Name = d.Name,
            Capacity = d.Capacity,
            FullMode = d.FullMode,
            WaitTimeout = d.WaitTimeout,
            BatchSizeLimit = d.BatchSizeLimit,
            ShutdownTimeout = d.ShutdownTimeout,
            StallTimeout = d.StallTimeout,
            ReservedForWarnings = d.ReservedForWarnings,
            QueueSizeLimitBytes = d.QueueSizeLimitBytes,
            FloodLimit = d.FloodLimit,
            TimeProvider = new FakeTimeProvider(DateTimeOffset.UtcNow),
            UseWatchdog = false,
        };
    }

    /// <summary>A sink with <paramref name="options"/>, its consumer held inside the destination with flood event 0.</summary>
    static Task<(NonBlockingSink Sink, GatedSink Gate)> HeldAsync(NonBlockingSinkOptions options) => TestSinks.HeldAsync(options, FloodEvent(0));

    [Fact]
    public async Task Defaults_WhenALowLevelFloodFillsTheQueue_StillTakeEveryError()
    {
        var (sink, inner) = await HeldAsync(Defaults());

        for (var i = 1; i < 20_000; i++) sink.Emit(FloodEvent(i));
        for (var i = 0; i < 1_000; i++) sink.Emit(ErrorEvent(i));

        var during = sink.GetSnapshot();
        Assert.Equal(2_000, during.ReservedForWarnings);
        Assert.Equal(20_000 - 1 - 8_000, during.DroppedByReason[DropReason.LevelReserve]);
        Assert.Equal(0, during.DroppedByReason[DropReason.QueueFull]);
        Some.AssertAccounted(21_000, during);

        inner.Release();
        await sink.DisposeWithinHangGuardAsync();
        Assert.Equal(1_000, inner.CallerEvents.Count(e => e.Level == LogEventLevel.Error));
        var after = sink.GetSnapshot();
        Assert.Equal(8_001 + 1_000, after.Written);
        Some.AssertAccounted(21_000, after);
    }

    [Fact]
    public void Defaults_WhenOneThreadFloodsWhileAnotherLogsErrors_WriteEveryErrorAndAccountForEveryEvent()
    {
        var name = NewName();
        var inner = new TemplateCountingSink();
        var logger = new LoggerConfiguration().WriteTo.NonBlocking(to => to.Sink(inner), name: name).CreateLogger();
        var sink = NonBlockingLogSinks.Find(name)!;
        const int FloodEvents = 300_000, Errors = 1_000;

        var errors = new Thread(() =>
        {
            for (var i = 0; i < Errors; i++) logger.Error(ErrorTemplate, i, "connection reset");
        });
        var flood = new Thread(() =>
        {
            for (var i = 0; i < FloodEvents; i++) logger.Information(FloodTemplate, "closed", i);
        });
        flood.Start();
        errors.Start();
        flood.Join();
        errors.Join();
        logger.Dispose();

        Assert.Equal(Errors, inner.Count(ErrorTemplate, LogEventLevel.Error));
        var s = sink.GetSnapshot();
        Assert.Equal(s.Written, inner.CallerEvents);
        Assert.Equal(0, s.Pending);
        Some.AssertAccounted(FloodEvents + Errors, s);
        Assert.Equal(0, s.DroppedByReason[DropReason.QueueFull]);
    }

    /// <summary>
    /// A sink of capacity 10 in Wait mode, so with the default reserve of 2, its consumer held on event 0, and events
    /// 1 to 8 queued: the room below the reserve is used up. Then event 9 from a caller of its own, which must wait.
    /// </summary>
    static async Task<(NonBlockingSink Sink, GatedSink Gate, BlockingCall Waiting)> ReserveReachedAsync(TimeSpan waitTimeout)
    {
        var (sink, gate) = await HeldAsync(Defaults(capacity: 10, fullMode: QueueFullMode.Wait, waitTimeout: waitTimeout));
        for (var i = 1; i <= 8; i++) sink.Emit(FloodEvent(i));
        Assert.Equal(2, sink.GetSnapshot().ReservedForWarnings);
        Assert.Equal(8, sink.GetSnapshot().QueueDepth);
        return (sink, gate, BlockingCall.Start(() => sink.Emit(FloodEvent(9))));
    }

    [Fact]
    public async Task DefaultReserve_InWaitMode_MakesLowLevelCallersWaitInsteadOfDropping_WhileErrorsPass()
    {
        var (sink, inner, waiting) = await ReserveReachedAsync(TimeSpan.FromMinutes(10));
        waiting.AssertBlocked();
        Assert.Equal(1, sink.Queue.RoomWaiterCount);

        // Into the reserve, without waiting (a wait would outlast the hang guard).
        await Task.Factory.StartNew(() => sink.Emit(ErrorEvent(1)), TaskCreationOptions.LongRunning).WaitAsync(Wait.HangGuard);
        Assert.Equal(9, sink.GetSnapshot().QueueDepth);
        Assert.False(waiting.Returned.IsCompleted, "the low-level caller took a reserved slot");
        Assert.Equal(1, sink.Queue.RoomWaiterCount);

        inner.Release();
        await waiting.Returned.WaitAsync(Wait.HangGuard);
        await sink.DisposeWithinHangGuardAsync();

        var s = sink.GetSnapshot();
        Assert.Equal(0, s.Dropped);
        Assert.Equal(11, s.Written);
        Assert.Single(inner.CallerEvents, e => e.Level == LogEventLevel.Error);
    }

    [Fact]
    public async Task DefaultReserve_InWaitMode_WhenTurnedOffWhileACallerWaits_LetsItIn()
    {
        var (sink, inner, waiting) = await ReserveReachedAsync(TimeSpan.FromMinutes(10));
        waiting.AssertBlocked();
        Assert.Equal(1, sink.Queue.RoomWaiterCount);

        Assert.True(NonBlockingLogSinks.UpdatePolicy(sink.Name, reservedForWarnings: 0));

        // The destination is still stuck: only the room the reserve gave back lets the caller in.
        await waiting.Returned.WaitAsync(Wait.HangGuard);
        Assert.Equal(9, sink.GetSnapshot().QueueDepth);
        inner.Release();
        await sink.DisposeWithinHangGuardAsync();
        Assert.Equal(10, sink.GetSnapshot().Written);
    }

    // waitTimeout is real time (it blocks a real thread), so this one waits it out: briefly, and with only one outcome.
    [Fact]
    public async Task DefaultReserve_InWaitMode_DropsALowLevelEventOnlyAfterWaitTimeout()
    {
        var (sink, inner, waiting) = await ReserveReachedAsync(TimeSpan.FromMilliseconds(50));

        await waiting.Returned.WaitAsync(Wait.HangGuard);

        var s = sink.GetSnapshot();
        Assert.Equal(1, s.DroppedByReason[DropReason.WaitTimeout]);
        Assert.Equal(0, s.DroppedByReason[DropReason.LevelReserve]);
        Assert.Equal(8, s.QueueDepth);
        inner.Release();
        await sink.DisposeWithinHangGuardAsync();
        Some.AssertAccounted(10, sink.GetSnapshot());
    }
}
