using NonBlockingLog.Tests.Support;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Tests.Consumption;

public sealed class NonBlockingSinkTests
{
    [Fact]
    public void Emit_WhenQueueHasRoom_WritesEveryEventInOrder()
    {
        var inner = new CollectingSink();
        var sink = TestSinks.Create(inner, Some.Options());
        using (sink)
        {
            for (var i = 0; i < 1000; i++) sink.Emit(Some.Event(i));
        }

        Assert.Equal(Enumerable.Range(0, 1000), inner.CallerNumbers);
        var s = sink.GetSnapshot();
        Assert.Equal(1000, s.Written);
        Assert.Equal(1000, s.Enqueued);
        Assert.Equal(0, s.Dropped);
        Assert.Equal(0, s.Pending);
        Assert.Equal(SinkState.Stopped, s.State);
        Assert.Equal(1, inner.Disposals);
    }

    [Fact]
    public async Task Emit_DropNewestWhenQueueFull_CountsEachDropAndKeepsTheOldest()
    {
        var (sink, inner) = await TestSinks.HeldAsync(Some.Options(capacity: 2)); // event 0 is in flight, stuck in the sink

        for (var i = 1; i <= 5; i++) sink.Emit(Some.Event(i));

        var during = sink.GetSnapshot();
        Assert.Equal(3, during.DroppedByReason[DropReason.QueueFull]);
        Assert.Equal(2, during.QueueDepth);
        Assert.Equal(1, during.InFlight);
        Some.AssertAccounted(6, during);

        inner.Release();
        sink.Dispose();
        Assert.Equal([0, 1, 2], inner.CallerNumbers);
        var after = sink.GetSnapshot();
        Assert.Equal(3, after.Written);
        Assert.Equal(3, after.Dropped);
        Some.AssertAccounted(6, after);
    }

    [Fact]
    public async Task Emit_DropOldestWhenQueueFull_EvictsTheOldestAndCountsExactly()
    {
        var (sink, inner) = await TestSinks.HeldAsync(Some.Options(capacity: 2, fullMode: QueueFullMode.DropOldest));

        for (var i = 1; i <= 5; i++) sink.Emit(Some.Event(i));

        var during = sink.GetSnapshot();
        Assert.Equal(3, during.DroppedByReason[DropReason.QueueFull]);
        Assert.Equal(6, during.Enqueued); // every event got in; three were evicted afterwards
        Some.AssertAccounted(6, during);

        inner.Release();
        sink.Dispose();
        Assert.Equal([0, 4, 5], inner.CallerNumbers);
        Some.AssertAccounted(6, sink.GetSnapshot());
    }

    [Fact]
    public async Task Emit_WaitWhenQueueFull_BlocksUntilRoomThenWrites()
    {
        var (sink, inner) = await TestSinks.HeldAsync(Some.Options(capacity: 1, fullMode: QueueFullMode.Wait, waitTimeout: TimeSpan.FromMinutes(10)));
        sink.Emit(Some.Event(1)); // fills the queue

        await sink.AssertEmitWaitsForRoomAsync(inner, Some.Event(2));
        sink.Dispose();

        Assert.Equal([0, 1, 2], inner.CallerNumbers);
        Assert.Equal(0, sink.GetSnapshot().Dropped);
    }

    [Fact]
    public async Task Emit_WaitWithNoRoomWithinWaitTimeout_DropsAndCountsWaitTimeout()
    {
        var (sink, inner) = await TestSinks.HeldAsync(Some.Options(capacity: 1, fullMode: QueueFullMode.Wait, waitTimeout: TimeSpan.FromMilliseconds(20)));
        sink.Emit(Some.Event(1));

        var emit = BlockingCall.Start(() => sink.Emit(Some.Event(2)));
        await emit.Returned.WaitAsync(Wait.HangGuard); // returns on its own: the consumer is still stuck

        var s = sink.GetSnapshot();
        Assert.Equal(1, s.DroppedByReason[DropReason.WaitTimeout]);
        Some.AssertAccounted(3, s);
        inner.Release();
        sink.Dispose();
        Assert.Equal([0, 1], inner.CallerNumbers);
    }

    [Fact]
    public async Task Dispose_WhileCallerWaitsForRoom_ReleasesCallerAndCountsDisposed()
    {
        // The caller would wait far longer than the hang guard: only the disposal can release it.
        var (sink, inner) = await TestSinks.HeldAsync(Some.Options(capacity: 1, fullMode: QueueFullMode.Wait, waitTimeout: TimeSpan.FromMinutes(10),
            shutdownTimeout: TimeSpan.FromMilliseconds(50)));
        sink.Emit(Some.Event(1));
        var waiting = BlockingCall.Start(() => sink.Emit(Some.Event(2)));
        waiting.AssertBlocked();

        sink.Dispose(); // the sink stays hung: disposal gives up after shutdownTimeout
        await waiting.Returned.WaitAsync(Wait.HangGuard);

        var s = sink.GetSnapshot();
        Assert.Equal(0, s.Pending);
        Assert.Equal(2, s.DroppedByReason[DropReason.ShutdownTimeout]);
        Assert.Equal(1, s.DroppedByReason[DropReason.Disposed]);
        Some.AssertAccounted(3, s);
        inner.Release();
    }

    [Fact]
    public void Emit_AfterDispose_CountsDisposedAndNeverThrows()
    {
        var inner = new CollectingSink();
        var sink = TestSinks.Create(inner, Some.Options());
        sink.Dispose();

        sink.Emit(Some.Event(1));
        sink.Emit(Some.Event(2));

        var s = sink.GetSnapshot();
        Assert.Equal(2, s.DroppedByReason[DropReason.Disposed]);
        Assert.Empty(inner.CallerEvents);
        Some.AssertAccounted(2, s);
    }

    [Fact]
    public async Task Dispose_CalledTwiceAndAsync_IsIdempotent()
    {
        var inner = new CollectingSink();
        var sink = TestSinks.Create(inner, Some.Options());
        sink.Emit(Some.Event(1));
        sink.Dispose();
        sink.Dispose();
        await sink.DisposeAsync().AsTask().WaitAsync(Wait.HangGuard);
        Assert.Equal(1, inner.Disposals);
        Assert.Single(inner.CallerEvents);
    }

    [Fact]
    public async Task DisposeAsync_WithEventsQueued_DrainsAndFlushes()
    {
        var inner = new CollectingSink();
        var sink = TestSinks.Create(inner, Some.Options(batchSizeLimit: 7));
        for (var i = 0; i < 100; i++) sink.Emit(Some.Event(i));
        await sink.DisposeAsync();
        Assert.Equal(100, inner.CallerEvents.Count());
        Assert.Equal(100, sink.GetSnapshot().Written);
    }

    [Fact]
    public async Task Dispose_WhenSinkHangs_ReturnsWithinShutdownTimeoutAndCountsTheRest()
    {
        var (sink, inner) = await TestSinks.HeldOnBatchAsync(Some.Options(batchSizeLimit: 10, dozeInterval: TimeSpan.FromMinutes(10),
            shutdownTimeout: TimeSpan.FromMilliseconds(100)));
        var hung = sink.Supervisor.Current;

        await sink.DisposeWithinHangGuardAsync();

        var s = sink.GetSnapshot();
        Assert.Equal(SinkState.Stopped, s.State);
        Assert.Equal(0, s.Written);
        Assert.Equal(10, s.DroppedByReason[DropReason.ShutdownTimeout]);
        Assert.Equal(0, s.Pending);

        // When the hung call finally returns, the fenced consumer ends without writing again, neither the rest of
        // its batch nor a drop notice: the destination has only the event it was handed before the fence, and the
        // sink counts none of them written.
        inner.Release();
        await hung.Exited.WaitAsync(Wait.HangGuard);
        Assert.Equal(0, Some.NumberOf(Assert.Single(inner.Events)));
        Assert.Equal(0, sink.GetSnapshot().Written);
    }

    [Fact]
    public void Emit_WhenSinkThrowsOnCallN_DropsOnlyThatEventAsSinkFailure()
    {
        var inner = new ThrowingSink(failOnCalls: [3, 7]);
        var sink = TestSinks.Create(inner, Some.Options(batchSizeLimit: 4));
        using (sink)
        {
            for (var i = 1; i <= 10; i++) sink.Emit(Some.Event(i));
        }

        Assert.Equal([1, 2, 4, 5, 6, 8, 9, 10], inner.CallerNumbers);
        var s = sink.GetSnapshot();
        Assert.Equal(2, s.DroppedByReason[DropReason.SinkFailure]);
        Assert.Equal(8, s.Written);
        Some.AssertAccounted(10, s);
    }

    [Fact]
    public void Emit_WhenSinkAlwaysThrows_NeverThrowsToCaller()
    {
        var inner = new ThrowingSink { FailAlways = true };
        var sink = TestSinks.Create(inner, Some.Options());
        using (sink)
        {
            for (var i = 0; i < 100; i++) sink.Emit(Some.Event(i));
        }

        var s = sink.GetSnapshot();
        Assert.Equal(100, s.DroppedByReason[DropReason.SinkFailure]);
        Some.AssertAccounted(100, s);
    }

    [Fact]
    public void Consumer_WhenWriting_RunsOnADedicatedThreadNotThePool()
    {
        var threads = new ThreadRecordingSink();
        using (var sink = TestSinks.Create(threads, Some.Options()))
        {
            sink.Emit(Some.Event());
        }

        var (isPool, name) = Assert.Single(threads.Seen);
        Assert.False(isPool);
        Assert.StartsWith("NonBlockingLog consumer", name);
    }

    [Fact]
    public void Consumer_WhenQueueCompletes_EndsCleanly()
    {
        var sink = TestSinks.Create(new CollectingSink(), Some.Options());
        sink.Emit(Some.Event());
        sink.Dispose();
        Assert.True(sink.Supervisor.Current.Exited.IsCompletedSuccessfully);
        Assert.Null(sink.Supervisor.Current.Fault);
    }

    [Fact]
    public async Task Emit_WithRoom_AllocatesNothing()
    {
        var events = Enumerable.Range(0, 1001).Select(i => Some.Event(i)).ToArray();

        // Warm up with the consumer held, so the queue's buffer grows to its full capacity now, not later.
        var (sink, inner) = await TestSinks.HeldAsync(Some.Options(capacity: 1000), events[0]);
        using var _ = sink;
        for (var i = 1; i < events.Length; i++) sink.Emit(events[i]);
        inner.Release();
        Wait.Until(() => sink.GetSnapshot().Written == events.Length, "the warm-up events are written");

        // Events this sink has never seen: anything it creates and caches on an event (a dictionary's view of its
        // values, say) counts too.
        var fresh = Enumerable.Range(0, 500).Select(i => Some.Event(i)).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var e in fresh) sink.Emit(e);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    sealed class ThreadRecordingSink : ILogEventSink
    {
        public List<(bool IsPool, string? Name)> Seen { get; } = [];

        public void Emit(LogEvent logEvent) => Seen.Add((Thread.CurrentThread.IsThreadPoolThread, Thread.CurrentThread.Name));
    }
}
