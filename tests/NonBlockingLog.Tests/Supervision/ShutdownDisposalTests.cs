using System.Collections.Concurrent;
using NonBlockingLog.Tests.Support;
using Serilog.Debugging;

namespace NonBlockingLog.Tests.Supervision;

/// <summary>The last writer's disposal at shutdown is bounded by shutdownTimeout.</summary>
/// <remarks>In the static logger's collection: SelfLog is process-wide, and the sample, which the tests of that collection host, enables it.</remarks>
[Collection(StaticLoggerCollection.Name)]
public sealed class ShutdownDisposalTests
{
    // The queue drains at once, but the destination's own Dispose hangs (a hung share, a collector that never
    // answers): the app's shutdown must not hang with it.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dispose_WhenTheDestinationsDisposeHangs_ReturnsWithinShutdownTimeoutAndSaysSo(bool async)
    {
        var destination = new HangingDisposeSink();
        var sink = TestSinks.Create(destination, Some.Options(shutdownTimeout: TimeSpan.FromSeconds(2)));
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

        Assert.True(selfLog.Any(line => line.Contains(typeof(HangingDisposeSink).FullName!, StringComparison.Ordinal) &&
                                        line.Contains("did not finish within shutdownTimeout", StringComparison.Ordinal)),
            "SelfLog does not say that the disposal was given up:\n" + string.Join("\n", selfLog));
        var s = sink.GetSnapshot();
        Assert.Equal(SinkState.Stopped, s.State);
        Assert.Equal(1, s.Written);
        destination.ReleaseDispose();
    }
}
