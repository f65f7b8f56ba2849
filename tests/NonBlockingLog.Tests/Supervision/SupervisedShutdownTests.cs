using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Tests.Support;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Tests.Supervision;

/// <summary>The shutdown wait follows the consumer that is actually draining the queue.</summary>
public sealed class SupervisedShutdownTests
{
    static readonly TimeSpan Stall = TimeSpan.FromSeconds(10);

    // A stall recovery that was building the new destination when shutdown began replaces the hung consumer in
    // the middle of the shutdown wait. The successor drains the queue; the wait must notice, instead of waiting on
    // the hung consumer (fenced, never to drain anything) until shutdownTimeout runs out.
    [Fact]
    public async Task Dispose_WhenAStallRecoveryReplacesTheConsumerDuringTheWait_WaitsForTheSuccessor()
    {
        var time = new FakeTimeProvider();
        var fresh = new CollectingSink();
        var build = new ManualResetEventSlim(false);
        var hung = new HungSink();
        var sink = TestSinks.Create(Some.Options(time: time, stallTimeout: Stall, shutdownTimeout: TimeSpan.FromMinutes(10)), hung,
            rebuild: () => { build.Wait(); return fresh; });
        sink.Emit(Some.Event(0));
        await hung.Entered.WaitAsync(Wait.HangGuard);
        for (var i = 1; i < 4; i++) sink.Emit(Some.Event(i));
        var stalled = sink.Supervisor.Current;

        sink.Supervisor.CheckOnce();
        time.Advance(Stall);
        var recovery = Task.Factory.StartNew(() => sink.Supervisor.CheckOnce(), TaskCreationOptions.LongRunning);
        Wait.Until(() => sink.GetSnapshot().State == SinkState.Stalled, "the stall is detected");

        var dispose = BlockingCall.Start(sink.Dispose);
        dispose.AssertBlocked();
        build.Set();

        // Waiting on the hung consumer, Dispose would return only after the ten minutes of shutdownTimeout.
        await dispose.Returned.WaitAsync(Wait.HangGuard);
        await recovery.WaitAsync(Wait.HangGuard);
        Assert.Equal([0, 1, 2, 3], fresh.CallerNumbers);
        Assert.Equal(1, fresh.Disposals);
        var s = sink.GetSnapshot();
        Assert.Equal(SinkState.Stopped, s.State);
        Assert.Equal(4, s.Written);
        Assert.Equal(0, s.Dropped);

        hung.Release();
        await stalled.Exited.WaitAsync(Wait.HangGuard);
        Some.AssertAccounted(4, sink.GetSnapshot());
    }

    /// <summary>Hangs in Emit until released; unlike <see cref="GatedSink"/>, disposing it does not release it (a hung disk stays hung).</summary>
    sealed class HungSink : ILogEventSink, IDisposable
    {
        readonly ManualResetEventSlim _release = new(false);
        readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Emit(LogEvent logEvent)
        {
            _entered.TrySetResult();
            _release.Wait();
        }

        public void Release() => _release.Set();

        public void Dispose()
        {
        }
    }
}
