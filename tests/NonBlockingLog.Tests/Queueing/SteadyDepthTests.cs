using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Queueing;
using NonBlockingLog.Settings;
using NonBlockingLog.Tests.Support;
using Serilog.Events;

namespace NonBlockingLog.Tests.Queueing;

/// <summary>Under sustained overload the queue admits new events below a small steady depth; bursts keep the whole capacity.</summary>
public sealed class SteadyDepthTests
{

    [Fact]
    public void Observe_ABriefBurst_NeverLimits()
    {
        var depth = new SteadyDepth(capacity: 10_000, batchSizeLimit: 1000);
        Assert.False(depth.Observe(10_000, reservedForWarnings: 0, turnedAwaySinceLastLook: false));
        Assert.False(depth.Observe(10_000, reservedForWarnings: 0, turnedAwaySinceLastLook: false));
        Assert.False(depth.Observe(5_000, reservedForWarnings: 0, turnedAwaySinceLastLook: false)); // drained: the count starts again
        Assert.False(depth.Observe(10_000, reservedForWarnings: 0, turnedAwaySinceLastLook: false));
        Assert.False(depth.Observe(9_000, reservedForWarnings: 0, turnedAwaySinceLastLook: false));
        Assert.False(depth.IsLimiting);
    }

    [Fact]
    public void Observe_ThreeNearlyFullLooksInARow_LimitsUntilWellBelowTheSteadyDepth()
    {
        var depth = new SteadyDepth(capacity: 10_000, batchSizeLimit: 1000);
        Assert.Equal(2000, depth.SteadyLimit);
        depth.Observe(9_000, reservedForWarnings: 0, turnedAwaySinceLastLook: false);
        depth.Observe(9_500, reservedForWarnings: 0, turnedAwaySinceLastLook: false);
        Assert.True(depth.Observe(9_999, reservedForWarnings: 0, turnedAwaySinceLastLook: false));
        Assert.True(depth.IsLimiting);

        Assert.False(depth.Observe(2_000, reservedForWarnings: 0, turnedAwaySinceLastLook: false));
        Assert.False(depth.Observe(1_001, reservedForWarnings: 0, turnedAwaySinceLastLook: false));
        Assert.True(depth.Observe(1_000, reservedForWarnings: 0, turnedAwaySinceLastLook: false));
        Assert.False(depth.IsLimiting);
    }

    [Fact]
    public void Observe_WhileLimiting_LowDepthWithCallersTurnedAway_KeepsLimitingUntilALookWithNone()
    {
        var depth = new SteadyDepth(capacity: 10_000, batchSizeLimit: 100);
        for (var look = 0; look < 3; look++) depth.Observe(9_999, reservedForWarnings: 0, turnedAwaySinceLastLook: false);
        Assert.True(depth.IsLimiting);

        // Under an overload the consumer has just taken a batch: the queue is low, but callers are being turned away.
        for (var look = 0; look < 10; look++) Assert.False(depth.Observe(0, reservedForWarnings: 0, turnedAwaySinceLastLook: true));
        Assert.True(depth.IsLimiting);
        Assert.True(depth.Observe(0, reservedForWarnings: 0, turnedAwaySinceLastLook: false));
        Assert.False(depth.IsLimiting);
    }

    [Fact]
    public void ObserveDepth_WhileLimiting_CallerTurnedAwaySinceTheLastLook_KeepsLimitingForOneMoreLook()
    {
        var queue = new EventQueue(10_000, 100, TimeSpan.FromMilliseconds(1), new NonBlockingLog.Accounting.Counters(TimeProvider.System), new NonBlockingLog.Accounting.FailureReporter());
        for (var i = 0; i < 9_400; i++) Assert.True(queue.TryEnqueue(Some.Event(i)));
        for (var look = 0; look < 3; look++) queue.ObserveDepth();
        Assert.True(queue.IsLimitingDepth);
        Assert.False(queue.TryEnqueue(Some.Event(-1)));

        queue.TakeBatch([], 9_000);
        Assert.Equal(400, queue.Count);
        queue.ObserveDepth();
        Assert.True(queue.IsLimitingDepth);
        queue.ObserveDepth();
        Assert.False(queue.IsLimitingDepth);
        Assert.True(queue.TryEnqueue(Some.Event(-2)));
    }

    [Theory]
    [InlineData(1_000, 1000)]
    [InlineData(7_999, 1000)]
    [InlineData(4_095, 1)]
    public void SteadyDepth_WithCapacityTooSmallToGainFrom_IsDisabled(int capacity, int batchSizeLimit)
    {
        var depth = new SteadyDepth(capacity, batchSizeLimit);
        Assert.False(depth.IsEnabled);
        for (var i = 0; i < 10; i++) Assert.False(depth.Observe(capacity, reservedForWarnings: 0, turnedAwaySinceLastLook: false));
    }

    [Fact]
    public async Task Emit_WhileLimiting_AdmitsOrdinaryEventsBelowTheSteadyDepthAndWarningsUpToCapacity()
    {
        var held = new GatedSink();
        using var sink = TestSinks.Create(held, Some.Options(capacity: 10_000, batchSizeLimit: 100, reservedForWarnings: 500, time: new FakeTimeProvider()));
        sink.Emit(Some.Event(0));
        await held.Entered.WaitAsync(Wait.HangGuard);
        for (var i = 1; i <= 9_400; i++) sink.Emit(Some.Event(i));
        for (var look = 0; look < 3; look++) sink.Supervisor.CheckOnce();
        Assert.True(sink.Queue.IsLimitingDepth);
        Assert.Equal(1024, sink.Queue.SteadyLimit);

        sink.Emit(Some.Event(-1));                          // below Warning: the queue is far above its steady depth
        sink.Emit(Some.Event(-2, LogEventLevel.Error));     // Warning and above: never held to the steady depth, or the
                                                            // overload's backlog would cost the errors the reserve keeps
        var s = sink.GetSnapshot();
        Assert.Equal(1, s.DroppedByReason[DropReason.QueueFull]);
        Assert.Equal(9_401, s.QueueDepth);

        held.Release();
        Wait.Until(() => sink.GetSnapshot().QueueDepth <= 500, "the consumer drains below half the steady depth");
        sink.Supervisor.CheckOnce();
        Assert.True(sink.Queue.IsLimitingDepth);            // event -1 was turned away since the previous look
        sink.Supervisor.CheckOnce();
        Assert.False(sink.Queue.IsLimitingDepth);
        Some.AssertAccounted(9_403, sink.GetSnapshot());
    }

    [Fact]
    public void TryEnqueue_WhileLimiting_OrdinaryEventsBelowTheSteadyDepthWarningsUpToCapacity()
    {
        var queue = new EventQueue(10_000, 100, TimeSpan.FromMilliseconds(1), new NonBlockingLog.Accounting.Counters(TimeProvider.System), new NonBlockingLog.Accounting.FailureReporter())
        {
            ReservedForWarnings = 500,
        };
        for (var i = 0; i < 9_400; i++) Assert.True(queue.TryEnqueue(Some.Event(i)));
        for (var look = 0; look < 3; look++) queue.ObserveDepth();
        Assert.True(queue.IsLimitingDepth);
        Assert.False(queue.TryEnqueue(Some.Event(-4)));
        Assert.True(queue.TryEnqueue(Some.Event(-5, LogEventLevel.Warning)));

        queue.TakeBatch([], 9_401 - 1_200);
        Assert.Equal(1_200, queue.Count);
        Assert.False(queue.TryEnqueue(Some.Event(-1)));
        Assert.True(queue.TryEnqueue(Some.Event(-2, LogEventLevel.Error)));

        queue.TakeBatch([], 1_201 - 1_000);
        Assert.True(queue.TryEnqueue(Some.Event(-3)));
        Assert.Equal(1_001, queue.Count);
    }

    [Fact]
    public async Task Emit_DropOldestWhileLimiting_EvictsOneAndKeepsTheNewEvent()
    {
        var held = new GatedSink();
        using var sink = TestSinks.Create(held, Some.Options(capacity: 10_000, batchSizeLimit: 100, fullMode: QueueFullMode.DropOldest, time: new FakeTimeProvider()));
        sink.Emit(Some.Event(0));
        await held.Entered.WaitAsync(Wait.HangGuard);
        for (var i = 1; i <= 10_000; i++) sink.Emit(Some.Event(i));
        for (var look = 0; look < 3; look++) sink.Supervisor.CheckOnce();
        Assert.True(sink.Queue.IsLimitingDepth);
        var before = sink.GetSnapshot();

        sink.Emit(Some.Event(10_001));

        var after = sink.GetSnapshot();
        Assert.Equal(before.DroppedByReason[DropReason.QueueFull] + 1, after.DroppedByReason[DropReason.QueueFull]);
        Assert.Equal(before.QueueDepth, after.QueueDepth);
        held.Release();
    }

    [Fact]
    public void Observe_WithALevelReserve_CountsNearlyFullAgainstTheDepthOrdinaryEventsStopAt()
    {
        // Information stops at capacity - reserve (8,000 of 10,000 by default): a sustained Information overload
        // holds the queue there, never at 90 % of capacity.
        var depth = new SteadyDepth(capacity: 10_000, batchSizeLimit: 1000);
        Assert.False(depth.Observe(8_000, reservedForWarnings: 2_000, turnedAwaySinceLastLook: false));
        Assert.False(depth.Observe(8_000, reservedForWarnings: 2_000, turnedAwaySinceLastLook: false));
        Assert.True(depth.Observe(7_200, reservedForWarnings: 2_000, turnedAwaySinceLastLook: false));
        Assert.True(depth.IsLimiting);
    }

    [Fact]
    public void Observe_WithALevelReserve_BelowNinetyPercentOfTheOrdinaryLimit_NeverLimits()
    {
        var depth = new SteadyDepth(capacity: 10_000, batchSizeLimit: 1000);
        for (var look = 0; look < 10; look++) Assert.False(depth.Observe(7_199, reservedForWarnings: 2_000, turnedAwaySinceLastLook: false));
    }

    [Fact]
    public async Task CheckOnce_SustainedInformationOverloadWithDefaultSettings_LimitsDepthAndLiftsItOnceDrained()
    {
        // The defaults: capacity 10,000, batches of 1,000, a fifth of capacity reserved for warnings.
        var capacity = NonBlockingSinkOptions.DefaultCapacity;
        var options = Some.Options(
            capacity: capacity, batchSizeLimit: NonBlockingSinkOptions.DefaultBatchSizeLimit,
            reservedForWarnings: NonBlockingSinkOptions.DefaultReservedForWarnings(capacity), time: new FakeTimeProvider());
        var (sink, held) = await TestSinks.HeldAsync(options);
        for (var i = 1; i <= 10_000; i++) sink.Emit(Some.Event(i));
        Assert.Equal(8_000, sink.GetSnapshot().QueueDepth);
        Assert.Equal(2_000, sink.GetSnapshot().DroppedByReason[DropReason.LevelReserve]);

        for (var look = 0; look < 3; look++) sink.Supervisor.CheckOnce();
        Assert.True(sink.Queue.IsLimitingDepth);
        Assert.Equal(2_000, sink.Queue.SteadyLimit);

        held.Release();
        Wait.Until(() => sink.GetSnapshot().QueueDepth == 0, "the consumer drains the queue");
        sink.Supervisor.CheckOnce();
        Assert.False(sink.Queue.IsLimitingDepth);
        await sink.DisposeWithinHangGuardAsync();
        var s = sink.GetSnapshot();
        Assert.Equal(8_001, s.Written);
        Some.AssertAccounted(10_001, s);
    }

    // DropOldest while limiting, with the level reserve on: the errors queued before a flood of Information events
    // are what the reserve keeps; the Information events must not evict them.
    [Fact]
    public async Task Emit_DropOldestInformationWhileLimiting_IsDroppedItselfAndQueuedErrorsAreWritten()
    {
        var permits = new SemaphoreSlim(0);
        var inner = new CollectingSink();
        var sink = TestSinks.Create(inner, Some.Options(
            capacity: 10_000, batchSizeLimit: 100, fullMode: QueueFullMode.DropOldest, reservedForWarnings: 500,
            time: new FakeTimeProvider(), beforeBatch: _ => permits.Wait()));
        sink.Emit(Some.Event(0));
        Wait.Until(() => sink.GetSnapshot().InFlight == 1, "the consumer holds event 0 before writing it");

        var number = 1;
        for (var i = 0; i < 500; i++) sink.Emit(Some.Event(number++));
        for (var i = 0; i < 10; i++) sink.Emit(Some.Event(number++, LogEventLevel.Error));
        while (number <= 9_500) sink.Emit(Some.Event(number++));
        Assert.Equal(9_500, sink.GetSnapshot().QueueDepth);
        for (var look = 0; look < 3; look++) sink.Supervisor.CheckOnce();
        Assert.True(sink.Queue.IsLimitingDepth);

        // One batch written, the next held: the queue is below the reserve's bound and above the steady depth.
        permits.Release();
        Wait.Until(() => sink.GetSnapshot() is { InFlight: 100, QueueDepth: 9_400 }, "the consumer holds its second batch");

        for (var i = 0; i < 5_000; i++) sink.Emit(Some.Event(number++));

        var during = sink.GetSnapshot();
        Assert.Equal(9_400, during.QueueDepth);
        Assert.Equal(5_000, during.DroppedByReason[DropReason.QueueFull]);
        permits.Release(1_000_000);
        await sink.DisposeWithinHangGuardAsync();

        Assert.Equal(Enumerable.Range(501, 10), inner.CallerEvents.Where(e => e.Level == LogEventLevel.Error).Select(Some.NumberOf));
        var s = sink.GetSnapshot();
        Assert.Equal(9_501, s.Written);
        Assert.Equal(5_000, s.Dropped);
        Some.AssertAccounted(14_501, s);
    }

    [Fact]
    public async Task Emit_DropOldestInformationAtTheLevelReserve_IsDroppedItselfAndQueuedErrorsAreWritten()
    {
        var (sink, held) = await TestSinks.HeldAsync(Some.Options(capacity: 100, fullMode: QueueFullMode.DropOldest, reservedForWarnings: 20));
        for (var i = 1; i <= 10; i++) sink.Emit(Some.Event(i, LogEventLevel.Error));
        for (var i = 11; i <= 1_000; i++) sink.Emit(Some.Event(i));

        var during = sink.GetSnapshot();
        Assert.Equal(80, during.QueueDepth);
        Assert.Equal(920, during.DroppedByReason[DropReason.LevelReserve]);
        Assert.Equal(0, during.DroppedByReason[DropReason.QueueFull]);
        held.Release();
        await sink.DisposeWithinHangGuardAsync();

        Assert.Equal(Enumerable.Range(1, 10), held.CallerEvents.Where(e => e.Level == LogEventLevel.Error).Select(Some.NumberOf));
        Some.AssertAccounted(1_001, sink.GetSnapshot());
    }
}
