using NonBlockingLog.Supervision;

namespace NonBlockingLog.Tests.Supervision;

public sealed class RestartScheduleTests
{
    static readonly TimeSpan T0 = TimeSpan.FromSeconds(100);

    [Fact]
    public void IsDue_AroundTheFirstDelay_BecomesTrueExactlyAtIt()
    {
        var schedule = new RestartSchedule();
        Assert.False(schedule.IsDue(T0));

        schedule.Schedule(T0, random01: 0.5);
        Assert.True(schedule.IsPending);
        Assert.False(schedule.IsDue(T0 + Backoff.FirstDelay - TimeSpan.FromTicks(1)));
        Assert.True(schedule.IsDue(T0 + Backoff.FirstDelay));
    }

    [Fact]
    public void Schedule_InARowWithoutRecovery_WaitsLongerEachTime()
    {
        var schedule = new RestartSchedule();
        schedule.Schedule(T0, 0.5);
        schedule.OnRestarted();
        schedule.Schedule(T0, 0.5);

        Assert.Equal(2, schedule.Attempt);
        Assert.False(schedule.IsDue(T0 + Backoff.FirstDelay));
        Assert.True(schedule.IsDue(T0 + Backoff.Delay(2, 0.5)));
    }

    [Fact]
    public void OnRecovered_AfterARestart_StartsAgainFromTheFirstDelay()
    {
        var schedule = new RestartSchedule();
        schedule.Schedule(T0, 0.5);
        schedule.OnRestarted();
        schedule.OnRecovered();
        schedule.Schedule(T0, 0.5);

        Assert.Equal(1, schedule.Attempt);
        Assert.True(schedule.IsDue(T0 + Backoff.FirstDelay));
    }

    [Fact]
    public void Expedite_WithARestartPending_MakesItDueNowButNeverLater()
    {
        var schedule = new RestartSchedule();
        schedule.Schedule(T0, 0.5);
        schedule.Expedite(T0);
        Assert.True(schedule.IsDue(T0));

        var late = new RestartSchedule();
        late.Schedule(T0, 0.5);
        late.Expedite(T0 + TimeSpan.FromHours(1));
        Assert.True(late.IsDue(T0 + Backoff.FirstDelay));
    }

    [Fact]
    public void OnRestarted_AfterASchedule_LeavesNothingPending()
    {
        var schedule = new RestartSchedule();
        schedule.Schedule(T0, 0.5);
        schedule.OnRestarted();
        Assert.False(schedule.IsPending);
        Assert.False(schedule.IsDue(T0 + TimeSpan.FromHours(1)));
    }
}
