using NonBlockingLog.Supervision;

namespace NonBlockingLog.Tests.Supervision;

public sealed class StallDetectorTests
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Observe_WhenProgressStopsWithWorkPending_ReportsAStallAfterTheTimeoutExactly()
    {
        var detector = new StallDetector(Timeout);
        Assert.False(detector.Observe(5, workPending: true, TimeSpan.Zero));
        Assert.False(detector.Observe(5, workPending: true, Timeout - TimeSpan.FromTicks(1)));
        Assert.True(detector.Observe(5, workPending: true, Timeout));
    }

    [Fact]
    public void Observe_WhenProgressMoves_StartsTheTimeoutOver()
    {
        var detector = new StallDetector(Timeout);
        detector.Observe(1, true, TimeSpan.Zero);
        Assert.False(detector.Observe(2, true, TimeSpan.FromSeconds(9)));
        Assert.False(detector.Observe(2, true, TimeSpan.FromSeconds(18)));
        Assert.True(detector.Observe(2, true, TimeSpan.FromSeconds(19)));
    }

    [Fact]
    public void Observe_WhenNothingIsPending_NeverReportsAStall()
    {
        var detector = new StallDetector(Timeout);
        detector.Observe(1, false, TimeSpan.Zero);
        Assert.False(detector.Observe(1, false, TimeSpan.FromHours(1)));
        Assert.False(detector.Observe(1, true, TimeSpan.FromHours(1)));
        Assert.True(detector.Observe(1, true, TimeSpan.FromHours(1) + Timeout));
    }

    [Fact]
    public void Reset_AfterProgressStopped_GivesAFullTimeoutAgain()
    {
        var detector = new StallDetector(Timeout);
        detector.Observe(1, true, TimeSpan.Zero);
        detector.Reset(TimeSpan.FromSeconds(10));
        Assert.False(detector.Observe(1, true, TimeSpan.FromSeconds(19)));
        Assert.True(detector.Observe(1, true, TimeSpan.FromSeconds(29)));
    }
}
