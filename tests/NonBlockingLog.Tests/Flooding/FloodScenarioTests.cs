using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Events;

namespace NonBlockingLog.Tests.Flooding;

/// <summary>
/// Issue 14's incident at test scale, with default settings: one call site logs as fast as it can while another
/// logs errors. Every error must be written, and every event accounted for.
/// </summary>
public sealed class FloodScenarioTests
{
    const string FloodTemplate = "unknown event {Kind} from watcher {Watcher}";
    const string ErrorTemplate = "watcher {Watcher} failed to reconnect: {Reason}";
    static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    static string NewName() => "flood-scenario-" + Guid.NewGuid().ToString("n");

    [Fact]
    public async Task Defaults_WhenALowLevelFloodFillsTheQueue_StillTakeEveryError()
    {
        var name = NewName();
        var inner = new GatedSink();
        var logger = new LoggerConfiguration().WriteTo.NonBlocking(to => to.Sink(inner), name: name).CreateLogger();
        var sink = NonBlockingLogSinks.Find(name)!;
        logger.Information(FloodTemplate, "closed", 0);
        await inner.Entered.WaitAsync(HangGuard); // the destination is stuck: the queue only fills

        for (var i = 1; i < 20_000; i++) logger.Information(FloodTemplate, "closed", i);
        for (var i = 0; i < 1_000; i++) logger.Error(ErrorTemplate, i, "connection reset");

        var during = sink.GetSnapshot();
        Assert.Equal(2_000, during.ReservedForWarnings);
        Assert.Equal(20_000 - 1 - 8_000, during.DroppedByReason[DropReason.LevelReserve]);
        Assert.Equal(0, during.DroppedByReason[DropReason.QueueFull]);
        Some.AssertAccounted(21_000, during);

        inner.Release();
        logger.Dispose();
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

    [Fact]
    public async Task DefaultReserve_InWaitMode_MakesLowLevelCallersWaitInsteadOfDropping_WhileErrorsPass()
    {
        var name = NewName();
        var inner = new GatedSink();
        var logger = new LoggerConfiguration()
            .WriteTo.NonBlocking(to => to.Sink(inner), capacity: 10, fullMode: QueueFullMode.Wait, waitTimeout: TimeSpan.FromMinutes(10), name: name)
            .CreateLogger();
        var sink = NonBlockingLogSinks.Find(name)!;
        logger.Information(FloodTemplate, "closed", 0);
        await inner.Entered.WaitAsync(HangGuard);
        for (var i = 1; i <= 8; i++) logger.Information(FloodTemplate, "closed", i); // 8 queued: the reserve (2) begins

        var waiting = Task.Factory.StartNew(() => logger.Information(FloodTemplate, "closed", 9), TaskCreationOptions.LongRunning);
        logger.Error(ErrorTemplate, 1, "connection reset"); // into the reserve, without waiting
        Assert.Equal(9, sink.GetSnapshot().QueueDepth);
        Assert.False(waiting.IsCompleted);

        inner.Release();
        await waiting.WaitAsync(HangGuard);
        logger.Dispose();

        var s = sink.GetSnapshot();
        Assert.Equal(0, s.Dropped);
        Assert.Equal(11, s.Written);
        Assert.Single(inner.CallerEvents, e => e.Level == LogEventLevel.Error);
    }

    [Fact]
    public async Task DefaultReserve_InWaitMode_WhenTurnedOffWhileACallerWaits_LetsItIn()
    {
        var name = NewName();
        var inner = new GatedSink();
        var logger = new LoggerConfiguration()
            .WriteTo.NonBlocking(to => to.Sink(inner), capacity: 10, fullMode: QueueFullMode.Wait, waitTimeout: TimeSpan.FromMinutes(10), name: name)
            .CreateLogger();
        var sink = NonBlockingLogSinks.Find(name)!;
        logger.Information(FloodTemplate, "closed", 0);
        await inner.Entered.WaitAsync(HangGuard);
        for (var i = 1; i <= 8; i++) logger.Information(FloodTemplate, "closed", i);
        var waiting = Task.Factory.StartNew(() => logger.Information(FloodTemplate, "closed", 9), TaskCreationOptions.LongRunning);
        Assert.False(waiting.IsCompleted);

        NonBlockingLogSinks.UpdatePolicy(name, reservedForWarnings: 0);

        // The destination is still stuck: only the room the reserve gave back lets the caller in.
        await waiting.WaitAsync(HangGuard);
        Assert.Equal(9, sink.GetSnapshot().QueueDepth);
        inner.Release();
        logger.Dispose();
        Assert.Equal(10, sink.GetSnapshot().Written);
    }

    [Fact]
    public async Task DefaultReserve_InWaitMode_DropsALowLevelEventOnlyAfterWaitTimeout()
    {
        var name = NewName();
        var inner = new GatedSink();
        var logger = new LoggerConfiguration()
            .WriteTo.NonBlocking(to => to.Sink(inner), capacity: 10, fullMode: QueueFullMode.Wait, waitTimeout: TimeSpan.FromMilliseconds(50), name: name)
            .CreateLogger();
        var sink = NonBlockingLogSinks.Find(name)!;
        logger.Information(FloodTemplate, "closed", 0);
        await inner.Entered.WaitAsync(HangGuard);
        for (var i = 1; i <= 9; i++) logger.Information(FloodTemplate, "closed", i);

        var s = sink.GetSnapshot();
        Assert.Equal(1, s.DroppedByReason[DropReason.WaitTimeout]);
        Assert.Equal(0, s.DroppedByReason[DropReason.LevelReserve]);
        inner.Release();
        logger.Dispose();
        Some.AssertAccounted(10, sink.GetSnapshot());
    }
}
