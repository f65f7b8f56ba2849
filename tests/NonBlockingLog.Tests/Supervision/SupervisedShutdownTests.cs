using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Tests.Support;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;

namespace NonBlockingLog.Tests.Supervision;

/// <summary>Shutdown is bounded by shutdownTimeout, and follows the consumer that is actually draining the queue.</summary>
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

    // The queue drains at once, but the destination's own Dispose hangs (a hung share, a collector that never
    // answers): the app's shutdown must not hang with it.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispose_WhenTheDestinationsDisposeHangs_ReturnsWithinShutdownTimeoutAndSaysSo(bool async)
    {
        var destination = new HangingDisposeSink();
        var sink = TestSinks.Create(destination, Some.Options(shutdownTimeout: TimeSpan.FromSeconds(1)));
        sink.Emit(Some.Event(1));
        Wait.Until(() => sink.GetSnapshot().Written == 1, "the event is written");
        var selfLog = new ConcurrentQueue<string>();
        SelfLog.Enable(selfLog.Enqueue);
        try
        {
            // Started on a thread of its own, so that a DisposeAsync that blocks before returning fails the test at the hang guard too.
            var dispose = async
                ? Task.Factory.StartNew(() => sink.DisposeAsync().AsTask(), TaskCreationOptions.LongRunning).Unwrap()
                : Task.Factory.StartNew(sink.Dispose, TaskCreationOptions.LongRunning);
            await destination.DisposeEntered.WaitAsync(Wait.HangGuard);

            // Waiting for the destination's Dispose, this would hang until the test lets it go.
            await dispose.WaitAsync(Wait.HangGuard);
        }
        finally
        {
            SelfLog.Disable();
        }

        Assert.Contains(selfLog, line => line.Contains(typeof(HangingDisposeSink).FullName!, StringComparison.Ordinal) &&
                                         line.Contains("did not finish within shutdownTimeout", StringComparison.Ordinal));
        var s = sink.GetSnapshot();
        Assert.Equal(SinkState.Stopped, s.State);
        Assert.Equal(1, s.Written);
        destination.ReleaseDispose();
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

    sealed class HangingDisposeSink : ILogEventSink, IDisposable
    {
        readonly ManualResetEventSlim _release = new(false);
        readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task DisposeEntered => _entered.Task;

        public void Emit(LogEvent logEvent)
        {
        }

        public void ReleaseDispose() => _release.Set();

        public void Dispose()
        {
            _entered.TrySetResult();
            _release.Wait();
        }
    }
}
