using Microsoft.Extensions.Diagnostics.HealthChecks;
using NonBlockingLog.AspNetCore;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.AspNetCore;

/// <summary>The rules that turn a snapshot into Healthy, Degraded or Unhealthy, one by one, on a fixed clock.</summary>
public sealed class HealthRulesTests
{
    static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    static readonly HealthRules Rules = HealthRules.Create(null, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1));

    static NonBlockingLogSnapshot Snapshot(
        SinkState state = SinkState.Running, ConsumerPhase phase = ConsumerPhase.Waiting, long queueDepth = 0,
        TimeSpan? sinceProgress = null, TimeSpan? sinceDrop = null, TimeSpan? sinceError = null) => new()
        {
            Name = "rules",
            State = state,
            Phase = phase,
            PhaseSince = Now - TimeSpan.FromSeconds(1),
            LastProgress = Now - (sinceProgress ?? TimeSpan.Zero),
            LastError = sinceError is null ? null : "disk on fire",
            LastErrorAt = Now - sinceError,
            LastDropAt = Now - sinceDrop,
            FaultRestarts = 0,
            StallRestarts = 0,
            Stalls = 0,
            Capacity = 100,
            FullMode = QueueFullMode.DropNewest,
            WaitTimeout = TimeSpan.FromMilliseconds(100),
            ReservedForWarnings = 0,
            QueueDepth = queueDepth,
            InFlight = 0,
            Enqueued = 10,
            Written = 10 - queueDepth,
            DroppedByReason = Enum.GetValues<DropReason>().ToDictionary(r => r, r => r == DropReason.QueueFull && sinceDrop is not null ? 3L : 0L),
            DropNotices = 0,
        };

    [Fact]
    public void Judge_RunningAndKeepingUp_IsHealthy()
    {
        var verdict = Rules.Judge(Snapshot(queueDepth: 3, sinceProgress: TimeSpan.FromMilliseconds(100)), Now);

        Assert.Equal(HealthStatus.Healthy, verdict.Status);
        Assert.Empty(verdict.Reasons);
    }

    [Theory]
    [InlineData(SinkState.Stalled, "stalled")]
    [InlineData(SinkState.Faulted, "died (disk on fire)")]
    [InlineData(SinkState.Stopped, "disposed")]
    public void Judge_StalledFaultedOrStopped_IsUnhealthy(SinkState state, string reason)
    {
        var verdict = Rules.Judge(Snapshot(state, sinceError: TimeSpan.FromMinutes(5)), Now);

        Assert.Equal(HealthStatus.Unhealthy, verdict.Status);
        Assert.Contains(verdict.Reasons, r => r.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Judge_PendingWithoutProgressForProgressTimeout_IsUnhealthy()
    {
        var before = Rules.Judge(Snapshot(phase: ConsumerPhase.Writing, queueDepth: 4, sinceProgress: TimeSpan.FromSeconds(4.9)), Now);
        var after = Rules.Judge(Snapshot(phase: ConsumerPhase.Writing, queueDepth: 4, sinceProgress: TimeSpan.FromSeconds(5)), Now);

        Assert.Equal(HealthStatus.Healthy, before.Status);
        Assert.Equal(HealthStatus.Unhealthy, after.Status);
        Assert.Equal("no progress for 5.0 s with 4 events pending (the consumer is Writing since 2026-01-01T11:59:59.000Z)", Assert.Single(after.Reasons));
    }

    [Fact]
    public void Judge_IdleLongAfterItsLastProgress_IsHealthy()
    {
        // No pending work: nothing to make progress on.
        Assert.Equal(HealthStatus.Healthy, Rules.Judge(Snapshot(sinceProgress: TimeSpan.FromHours(1)), Now).Status);
    }

    [Fact]
    public void Judge_RestartingOrBackingOff_IsDegraded()
    {
        Assert.Equal(HealthStatus.Degraded, Rules.Judge(Snapshot(SinkState.Restarting), Now).Status);
        var backingOff = Rules.Judge(Snapshot(phase: ConsumerPhase.BackingOff, queueDepth: 1, sinceError: TimeSpan.FromMinutes(2)), Now);
        Assert.Equal(HealthStatus.Degraded, backingOff.Status);
        Assert.Contains("being retried: disk on fire", Assert.Single(backingOff.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_DropWithinRecentWindow_IsDegradedAndThenHealthyAgain()
    {
        var recent = Rules.Judge(Snapshot(sinceDrop: TimeSpan.FromSeconds(59)), Now);
        var old = Rules.Judge(Snapshot(sinceDrop: TimeSpan.FromSeconds(60)), Now);

        Assert.Equal(HealthStatus.Degraded, recent.Status);
        Assert.Contains("queue_full: 3", Assert.Single(recent.Reasons), StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, old.Status);
    }

    [Fact]
    public void Judge_ErrorWithinRecentWindow_IsDegraded()
    {
        var verdict = Rules.Judge(Snapshot(sinceError: TimeSpan.FromSeconds(10)), Now);

        Assert.Equal(HealthStatus.Degraded, verdict.Status);
        Assert.Equal("an error in the last 60.0 s, at 2026-01-01T11:59:50.000Z: disk on fire", Assert.Single(verdict.Reasons));
    }

    [Fact]
    public void Judge_SeveralProblems_ListsEveryReasonAndTakesTheWorst()
    {
        var verdict = Rules.Judge(Snapshot(SinkState.Faulted, queueDepth: 2, sinceProgress: TimeSpan.FromSeconds(30), sinceDrop: TimeSpan.FromSeconds(1), sinceError: TimeSpan.FromSeconds(1)), Now);

        Assert.Equal(HealthStatus.Unhealthy, verdict.Status);
        Assert.Equal(4, verdict.Reasons.Count);
    }

    [Fact]
    public void Evaluate_ANamedSinkThatIsNotRunning_IsUnhealthy()
    {
        var name = Some.UniqueName("absent");

        var health = HealthRules.Create([name], null, null).Evaluate(Now);

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Equal([name], health.Missing);
        Assert.Contains($"no running NonBlockingLog sink is named {name}", health.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithBadSettings_SaysWhatIsValid()
    {
        Assert.Contains("positive", Assert.Throws<ArgumentOutOfRangeException>(() => HealthRules.Create(null, TimeSpan.Zero, null)).Message, StringComparison.Ordinal);
        Assert.Contains("positive", Assert.Throws<ArgumentOutOfRangeException>(() => HealthRules.Create(null, null, TimeSpan.FromSeconds(-1))).Message, StringComparison.Ordinal);
        Assert.Contains("none empty", Assert.Throws<ArgumentException>(() => HealthRules.Create([" "], null, null)).Message, StringComparison.Ordinal);
    }
}
