using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Consumption;
using NonBlockingLog.Supervision;
using NonBlockingLog.Tests.Support;
using Serilog.Events;

namespace NonBlockingLog.Tests.Supervision;

public sealed class SupervisionTests
{
    static readonly TimeSpan Stall = TimeSpan.FromSeconds(10);

    static Action<LogEvent> CrashOnBatches(params int[] batches)
    {
        var count = 0;
        return _ =>
        {
            var n = Interlocked.Increment(ref count);
            if (batches.Contains(n)) throw new InvalidOperationException($"Injected consumer crash on batch {n}.");
        };
    }

    [Fact]
    public async Task Supervisor_WhenConsumerCrashes_RestartsAfterBackoffAndRedeliversTheBatch()
    {
        var time = new FakeTimeProvider();
        var inner = new CollectingSink();
        var sink = TestSinks.Create(inner, Some.Options(time: time, beforeBatch: CrashOnBatches(1)));
        var first = sink.Supervisor.Current;
        for (var i = 0; i < 5; i++) sink.Emit(Some.Event(i));
        await first.Exited.WaitAsync(Wait.HangGuard);

        Assert.Equal(SinkState.Faulted, sink.GetSnapshot().State);
        sink.Supervisor.CheckOnce(); // schedules the restart after a backoff
        Assert.Equal(SinkState.Restarting, sink.GetSnapshot().State);
        Assert.Same(first, sink.Supervisor.Current);

        sink.CheckAfter(time, Backoff.MaxDelayFor(1));
        Assert.NotSame(first, sink.Supervisor.Current);
        Wait.Until(() => sink.GetSnapshot().State == SinkState.Running, "the new consumer makes progress");
        sink.Dispose();

        var s = sink.GetSnapshot();
        Assert.Equal(1, s.FaultRestarts);
        Assert.Equal(5, s.Written);
        Assert.Contains("Injected consumer crash", s.LastError);
        Assert.Equal(Enumerable.Range(0, 5), inner.CallerNumbers.Order());
        Some.AssertAccounted(5, s);
    }

    [Fact]
    public async Task Supervisor_WhenConsumerCrashesRepeatedly_BacksOffExponentially()
    {
        var time = new FakeTimeProvider();
        var sink = TestSinks.Create(new CollectingSink(), Some.Options(time: time, beforeBatch: CrashOnBatches(1, 2)));
        sink.Emit(Some.Event(1));
        await sink.Supervisor.Current.Exited.WaitAsync(Wait.HangGuard);
        sink.Supervisor.CheckOnce();
        sink.CheckAfter(time, Backoff.MaxDelayFor(1));

        var second = sink.Supervisor.Current;
        await second.Exited.WaitAsync(Wait.HangGuard); // crashed again on the redelivered batch
        sink.Supervisor.CheckOnce();
        sink.CheckAfter(time, Backoff.MaxDelayFor(1));
        Assert.Same(second, sink.Supervisor.Current); // the second backoff is longer than the first

        sink.CheckAfter(time, Backoff.MaxDelayFor(2));
        Assert.NotSame(second, sink.Supervisor.Current);
        sink.Dispose();
        Assert.Equal(2, sink.GetSnapshot().FaultRestarts);
        Assert.Equal(1, sink.GetSnapshot().Written);
    }

    [Fact]
    public async Task Emit_WaitWhileConsumerIsDead_DropsAtOnceAsConsumerUnavailable()
    {
        var time = new FakeTimeProvider();
        var sink = TestSinks.Create(new CollectingSink(), Some.Options(capacity: 1, fullMode: QueueFullMode.Wait,
            waitTimeout: TimeSpan.FromMinutes(10), time: time, beforeBatch: CrashOnBatches(1)));
        sink.Emit(Some.Event(0));
        await sink.Supervisor.Current.Exited.WaitAsync(Wait.HangGuard);
        sink.Emit(Some.Event(1)); // fills the queue

        // With the breaker broken, this would wait ten minutes and the hang guard would fail the test.
        var emit = BlockingCall.Start(() => sink.Emit(Some.Event(2)));
        await emit.Returned.WaitAsync(Wait.HangGuard);

        var s = sink.GetSnapshot();
        Assert.Equal(1, s.DroppedByReason[DropReason.ConsumerUnavailable]);
        Some.AssertAccounted(3, s);
        sink.Dispose(); // restarts at once to drain
        Assert.Equal(2, sink.GetSnapshot().Written);
    }

    [Fact]
    public async Task Supervisor_WhenConsumerStalls_FencesItRebuildsTheSinkAndRedelivers()
    {
        var time = new FakeTimeProvider();
        var fresh = new CollectingSink();
        var (sink, hung) = await TestSinks.HeldOnBatchAsync(Some.Options(time: time, stallTimeout: Stall, batchSizeLimit: 3,
            dozeInterval: TimeSpan.FromMinutes(10)), rebuild: () => fresh);
        var stalled = sink.Supervisor.Current;

        sink.Supervisor.CheckOnce();
        sink.CheckAfter(time, Stall - TimeSpan.FromTicks(1));
        Assert.Equal(0, sink.GetSnapshot().Stalls); // not yet

        sink.CheckAfter(time, TimeSpan.FromTicks(1));
        var during = sink.GetSnapshot();
        Assert.Equal(1, during.Stalls);
        Assert.Equal(1, during.StallRestarts);

        sink.Dispose();
        Assert.Equal([0, 1, 2], fresh.CallerNumbers);

        // The hung call returns at last, and the fenced consumer ends: the hung destination has the event it was
        // handed before the fence, and nothing of the rest of the batch, which the new destination has.
        hung.Release();
        await stalled.Exited.WaitAsync(Wait.HangGuard);
        Assert.Equal(0, Some.NumberOf(Assert.Single(hung.Events)));
        var s = sink.GetSnapshot();
        Assert.Equal(3, s.Written);
        Some.AssertAccounted(3, s);
    }

    [Fact]
    public void Supervisor_WhenIdle_NeverReportsAStall()
    {
        var time = new FakeTimeProvider();
        var sink = TestSinks.Create(new CollectingSink(), Some.Options(time: time, stallTimeout: Stall));
        sink.Emit(Some.Event());
        Wait.Until(() => sink.GetSnapshot() is { Written: 1, Pending: 0 }, "the event is written");

        sink.Supervisor.CheckOnce();
        sink.CheckAfter(time, Stall * 10);
        Assert.Equal(0, sink.GetSnapshot().Stalls);
        sink.Dispose();
    }

    [Fact]
    public async Task Emit_WaitWhileConsumerIsStalled_DropsAtOnceThenWaitsAgainAfterRecovery()
    {
        var time = new FakeTimeProvider();
        var fresh = new CollectingSink();
        var rebuild = new ManualResetEventSlim(false);
        var (sink, hung) = await TestSinks.HeldAsync(Some.Options(capacity: 1, fullMode: QueueFullMode.Wait, waitTimeout: TimeSpan.FromMinutes(10),
            time: time, stallTimeout: Stall), rebuild: () => { rebuild.Wait(); return fresh; });
        sink.Emit(Some.Event(1));

        sink.Supervisor.CheckOnce();
        time.Advance(Stall);
        var recovery = Task.Factory.StartNew(() => sink.Supervisor.CheckOnce(), TaskCreationOptions.LongRunning);
        Wait.Until(() => sink.GetSnapshot().State == SinkState.Stalled, "the stall is detected");

        var emit = BlockingCall.Start(() => sink.Emit(Some.Event(2)));
        await emit.Returned.WaitAsync(Wait.HangGuard);
        Assert.Equal(1, sink.GetSnapshot().DroppedByReason[DropReason.ConsumerUnavailable]);

        rebuild.Set();
        await recovery.WaitAsync(Wait.HangGuard);
        Wait.Until(() => sink.GetSnapshot().State == SinkState.Running, "the new consumer makes progress");
        sink.Emit(Some.Event(3));
        sink.Dispose();
        hung.Release();

        Assert.Equal([0, 1, 3], fresh.CallerNumbers);
        Some.AssertAccounted(4, sink.GetSnapshot());
    }

    [Fact]
    public async Task Consumer_WhenSinkFailsWithIOException_RetriesWithBackoffUntilHealedAndLosesNothing()
    {
        var time = new FakeTimeProvider();
        var disk = new HealableSink();
        var sink = TestSinks.Create(disk, Some.Options(time: time, fullMode: QueueFullMode.Wait, waitTimeout: TimeSpan.FromMinutes(10)));
        for (var i = 0; i < 5; i++) sink.Emit(Some.Event(i));
        await disk.FailedOnce.WaitAsync(Wait.HangGuard);
        Wait.Until(() => sink.Supervisor.Current.Phase == ConsumerPhase.BackingOff, "the consumer backs off");

        var during = sink.GetSnapshot();
        Assert.Equal(0, during.Dropped);
        Assert.Equal(5, during.Pending);
        Assert.Contains("No space left", during.LastError);
        Assert.False(sink.Supervisor.IsAcceptingWaits); // callers do not wait on a broken disk

        var failures = disk.Failures;
        sink.Supervisor.CheckOnce(); // not due yet: no retry
        Assert.Equal(failures, disk.Failures);

        disk.Heal();
        sink.CheckAfter(time, Backoff.MaxDelayFor(1));
        Wait.Until(() => sink.GetSnapshot().Written == 5, "the retried batch is written");
        sink.Dispose();

        Assert.Equal(Enumerable.Range(0, 5), disk.CallerNumbers);
        var s = sink.GetSnapshot();
        Assert.Equal(0, s.Dropped);
        Some.AssertAccounted(5, s);
    }

    [Fact]
    public async Task Emit_WithLevelReserve_DropsLowLevelsFirstAndKeepsRoomForErrors()
    {
        var (sink, inner) = await TestSinks.HeldAsync(Some.Options(capacity: 10, reservedForWarnings: 3), Some.Event(0, LogEventLevel.Error));

        for (var i = 1; i <= 10; i++) sink.Emit(Some.Event(i, LogEventLevel.Information));
        for (var i = 11; i <= 15; i++) sink.Emit(Some.Event(i, LogEventLevel.Error));

        var s = sink.GetSnapshot();
        Assert.Equal(3, s.DroppedByReason[DropReason.LevelReserve]);  // infos 8, 9, 10
        Assert.Equal(2, s.DroppedByReason[DropReason.QueueFull]);     // errors 14, 15: the queue is full
        inner.Release();
        sink.Dispose();
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 11, 12, 13], inner.CallerNumbers);
        Some.AssertAccounted(16, sink.GetSnapshot());
    }

    [Fact]
    public async Task Supervisor_RestartsWhileProducersRunAtFullSpeed_AccountingHoldsExactly()
    {
        var inner = new CollectingSink();
        var sink = TestSinks.Create(inner, Some.Options(capacity: 256, batchSizeLimit: 16,
            beforeBatch: CrashOnBatches(3, 10, 20)));
        const int producers = 4, perProducer = 20_000;
        var events = Enumerable.Range(0, 64).Select(i => Some.Event(i)).ToArray();
        await Task.WhenAll(Enumerable.Range(0, producers).Select(_ => Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < perProducer; i++) sink.Emit(events[i & 63]);
        }, TaskCreationOptions.LongRunning))).WaitAsync(Wait.HangGuard);
        Wait.Until(() => sink.GetSnapshot().FaultRestarts >= 1, "the watchdog restarts the consumer");
        sink.Dispose();

        var s = sink.GetSnapshot();
        Some.AssertAccounted(producers * perProducer, s);
        Assert.Equal(0, s.Pending);
        Assert.Equal(0, s.DroppedByReason[DropReason.SinkFailure]);
        Assert.Equal(s.Written, inner.CallerEvents.Count());
    }

    [Fact]
    public async Task Dispose_WhileARestartIsScheduled_RestartsAtOnceAndDrains()
    {
        var time = new FakeTimeProvider();
        var inner = new CollectingSink();
        var sink = TestSinks.Create(inner, Some.Options(time: time, beforeBatch: CrashOnBatches(1)));
        for (var i = 0; i < 3; i++) sink.Emit(Some.Event(i));
        await sink.Supervisor.Current.Exited.WaitAsync(Wait.HangGuard);
        sink.Supervisor.CheckOnce(); // a restart is now due after a backoff that the fake clock never reaches

        await sink.DisposeWithinHangGuardAsync();

        var s = sink.GetSnapshot();
        Assert.Equal(3, s.Written);
        Assert.Equal(1, s.FaultRestarts);
        Assert.Equal(SinkState.Stopped, s.State);
        Some.AssertAccounted(3, s);
    }

    // The supervisor's lock is never held while a writer is disposed: a destination whose Dispose hangs (a hung
    // share) must not hold up supervision, snapshots or the other sinks.
    [Fact]
    public async Task StallRecovery_WhenTheSinkStoppedMeanwhile_DisposesTheUnneededWriterOutsideTheLock()
    {
        var time = new FakeTimeProvider();
        var unneeded = new HangingDisposeSink();
        var build = new ManualResetEventSlim(false);
        var (sink, hung) = await TestSinks.HeldAsync(Some.Options(time: time, stallTimeout: Stall, shutdownTimeout: TimeSpan.FromMilliseconds(50)),
            rebuild: () => { build.Wait(); return unneeded; });

        sink.Supervisor.CheckOnce();
        time.Advance(Stall);
        var recovery = Task.Factory.StartNew(() => sink.Supervisor.CheckOnce(), TaskCreationOptions.LongRunning);
        Wait.Until(() => sink.GetSnapshot().State == SinkState.Stalled, "the stall is detected");
        sink.Dispose(); // times out on the hung consumer and stops the sink while the new destination is being built
        build.Set();
        await unneeded.DisposeEntered.WaitAsync(Wait.HangGuard);

        // Reading the last progress takes the supervisor's lock: held by the hung disposal, this would hang.
        var progress = Task.Factory.StartNew(() => sink.Supervisor.LastProgress, TaskCreationOptions.LongRunning);
        await progress.WaitAsync(Wait.HangGuard);

        unneeded.ReleaseDispose();
        await recovery.WaitAsync(Wait.HangGuard);
        var s = sink.GetSnapshot();
        Assert.Equal(0, s.StallRestarts);
        Assert.Equal(1, s.DroppedByReason[DropReason.ShutdownTimeout]);
        Some.AssertAccounted(1, s);
        hung.Release();
    }
}
