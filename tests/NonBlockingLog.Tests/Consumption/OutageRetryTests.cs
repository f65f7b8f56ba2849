using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Consumption;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.Consumption;

public sealed class OutageRetryTests
{
    // Shutdown releases the consumer's wait; a release that lands while the consumer is arming its next wait must
    // not be undone by the arming, or the consumer sleeps out the whole backoff while the app waits to exit.
    [Fact]
    public async Task Arm_WhenShutdownReleasesInTheMiddleOfIt_TheWaitEndsAtOnceAndRestartsFromTheFirstDelay()
    {
        var retry = new OutageRetry(new FakeTimeProvider());
        retry.Arm();
        retry.Arm();
        Assert.Equal(2, retry.Attempt);

        retry.WhileArming = retry.ReleaseForShutdown;
        retry.Arm();

        // A lost release leaves nothing to end this wait: the fake clock never makes the backoff due.
        await Task.Factory.StartNew(retry.Wait, TaskCreationOptions.LongRunning).WaitAsync(Wait.HangGuard);
        Assert.Equal(1, retry.Attempt);
    }

    [Fact]
    public async Task ReleaseForShutdown_DuringTheWait_EndsItAtOnce()
    {
        var retry = new OutageRetry(new FakeTimeProvider());
        retry.Arm();
        var wait = BlockingCall.Start(retry.Wait);
        wait.AssertBlocked();

        retry.ReleaseForShutdown();

        await wait.Returned.WaitAsync(Wait.HangGuard);
    }

    [Fact]
    public void Arm_AfterShutdownBegan_StartsAgainFromTheFirstDelayOnce()
    {
        var retry = new OutageRetry(new FakeTimeProvider());
        retry.Arm();
        retry.Arm();
        retry.ReleaseForShutdown();

        retry.Arm();
        Assert.Equal(1, retry.Attempt);
        retry.Arm();
        Assert.Equal(2, retry.Attempt);
    }
}
