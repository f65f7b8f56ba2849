using NonBlockingLog.Supervision;

namespace NonBlockingLog.Tests.Supervision;

public sealed class BackoffTests
{
    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(9, 25_600)]
    [InlineData(10, 30_000)]
    [InlineData(1000, 30_000)]
    public void Delay_ForEachAttempt_DoublesFromAHundredMillisecondsUpToThirtySeconds(int attempt, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Backoff.Delay(attempt, 0.5));
    }

    [Fact]
    public void Delay_AtTheExtremesOfJitter_StaysWithinTwentyPercentAndUnderTheCap()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(80), Backoff.Delay(1, 0));
        Assert.InRange(Backoff.Delay(1, 0.999999), TimeSpan.FromMilliseconds(119.99), TimeSpan.FromMilliseconds(120));
        Assert.Equal(Backoff.MaxDelay, Backoff.Delay(50, 0.999999));
    }
}
