using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Consumption;
using NonBlockingLog.Supervision;
using NonBlockingLog.Tests.Support;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Tests.Supervision;

/// <summary>
/// The failure listener may use the sink again from inside its callback, on another thread it waits for (a
/// fallback logger with a thread of its own, a health probe): the sink never calls it while holding a lock that
/// such a use needs, on whichever thread it calls it (the caller's for a drop, the consumer's for a failed write
/// or a crash, the watchdog's for a stall).
/// </summary>
public sealed class ReentrantListenerTests
{
    static readonly TimeSpan Stall = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task FailureListener_ThatUsesTheSinkOnACrashAndRestart_DoesNotDeadlock()
    {
        var time = new FakeTimeProvider();
        var crashed = 0;
        var inner = new CollectingSink();
        var sink = TestSinks.Create(inner, Some.Options(time: time, beforeBatch: _ =>
        {
            if (Interlocked.Increment(ref crashed) == 1) throw new InvalidOperationException("Injected consumer crash.");
        }));
        var listener = new ReenteringListener(sink);
        sink.SetFailureListener(listener);

        sink.Emit(Some.Event(0));
        await sink.Supervisor.Current.Exited.WaitAsync(Wait.HangGuard);
        sink.Supervisor.CheckOnce();
        sink.CheckAfter(time, Backoff.MaxDelayFor(1));
        Wait.Until(() => sink.GetSnapshot().Written >= 1, "the restarted consumer writes the event");
        await sink.DisposeWithinHangGuardAsync();

        listener.AssertReentered(LoggingFailureKind.Temporary);
        Assert.Contains(0, inner.CallerNumbers);
    }

    [Fact]
    public async Task FailureListener_ThatUsesTheSinkOnAnOutage_DoesNotDeadlock()
    {
        var time = new FakeTimeProvider();
        var disk = new HealableSink();
        var sink = TestSinks.Create(disk, Some.Options(time: time));
        var listener = new ReenteringListener(sink);
        sink.SetFailureListener(listener);

        sink.Emit(Some.Event(0));
        Wait.Until(() => sink.Supervisor.Current.Phase == ConsumerPhase.BackingOff, "the consumer backs off");
        disk.Heal();
        sink.CheckAfter(time, Backoff.MaxDelayFor(1));
        Wait.Until(() => sink.GetSnapshot().Written >= 1, "the retried event is written");
        await sink.DisposeWithinHangGuardAsync();

        listener.AssertReentered(LoggingFailureKind.Temporary);
    }

    [Fact]
    public async Task FailureListener_ThatUsesTheSinkOnAStallAndADrop_DoesNotDeadlock()
    {
        var time = new FakeTimeProvider();
        var (sink, hung) = await TestSinks.HeldAsync(Some.Options(capacity: 1, time: time, stallTimeout: Stall), rebuild: () => new CollectingSink());
        var listener = new ReenteringListener(sink);
        sink.SetFailureListener(listener);

        sink.Emit(Some.Event(1));
        sink.Emit(Some.Event(2)); // the queue is full: dropped, on this thread
        listener.AssertReentered(LoggingFailureKind.Permanent);

        sink.Supervisor.CheckOnce();
        var stall = Task.Factory.StartNew(() => sink.CheckAfter(time, Stall), TaskCreationOptions.LongRunning);
        await stall.WaitAsync(Wait.HangGuard);
        Assert.Equal(1, sink.GetSnapshot().StallRestarts);
        await sink.DisposeWithinHangGuardAsync();
        hung.Release();

        listener.AssertReentered(LoggingFailureKind.Temporary);
    }

    /// <summary>
    /// On each report, reads a snapshot of the sink and emits to it from another thread, and waits for that: a
    /// lock held around the report would hang it. Emits from there do not re-enter again.
    /// </summary>
    sealed class ReenteringListener(NonBlockingSink sink) : ILoggingFailureListener
    {
        [ThreadStatic]
        static bool t_reentering;

        readonly List<LoggingFailureKind> _reentered = [];
        readonly List<string> _hung = [];

        public void OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception)
        {
            if (t_reentering) return;
            var other = Task.Factory.StartNew(() =>
            {
                t_reentering = true;
                _ = sink.GetSnapshot();
                sink.Emit(Some.Event(-1));
            }, TaskCreationOptions.LongRunning);
            var done = other.Wait(Wait.HangGuard);
            lock (_reentered)
            {
                if (done) _reentered.Add(kind);
                else _hung.Add(message);
            }
        }

        public void AssertReentered(LoggingFailureKind kind)
        {
            lock (_reentered)
            {
                Assert.Empty(_hung);
                Assert.Contains(kind, _reentered);
            }
        }
    }
}
