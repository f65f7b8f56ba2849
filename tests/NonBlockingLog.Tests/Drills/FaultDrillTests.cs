using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Supervision;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.Drills;

/// <summary>The drills the sample exposes: each fault shows in the state, and healing brings everything back.</summary>
public sealed class FaultDrillTests
{
    [Fact]
    public void Drills_CrashStallAndDiskFull_AreRecoveredWithNothingLost()
    {
        var time = new FakeTimeProvider();
        var inner = new CollectingSink();
        var sink = TestSinks.Create(inner, Some.Options(time: time, stallTimeout: TimeSpan.FromSeconds(10)));
        var drills = sink.Supervisor.Drills;
        var emitted = 0;
        void Emit() => sink.Emit(Some.Event(emitted++));

        drills.Run(FaultDrill.Crash);
        Emit();
        Wait.Until(() => sink.GetSnapshot().State == SinkState.Faulted, "the drill crashes the consumer");
        sink.Supervisor.CheckOnce();
        sink.CheckAfter(time, Backoff.MaxDelayFor(1));
        Wait.Until(() => sink.GetSnapshot().Written == 1, "the restarted consumer writes the event");

        drills.Run(FaultDrill.DiskFull);
        Emit();
        Wait.Until(() => sink.GetSnapshot().Phase == ConsumerPhase.BackingOff, "the consumer backs off");
        drills.Run(FaultDrill.Heal);
        sink.CheckAfter(time, Backoff.MaxDelayFor(1));
        Wait.Until(() => sink.GetSnapshot().Written == 2, "the retried event is written");

        drills.Run(FaultDrill.Stall);
        Emit();
        Wait.Until(() => sink.GetSnapshot().Phase == ConsumerPhase.Writing, "the consumer is stuck writing");
        sink.Supervisor.CheckOnce();
        sink.CheckAfter(time, TimeSpan.FromSeconds(10));
        Wait.Until(() => sink.GetSnapshot().Written == 3, "the replacement consumer writes the event");
        drills.Run(FaultDrill.Heal);
        sink.Dispose();

        var s = sink.GetSnapshot();
        Assert.Equal(1, s.FaultRestarts);
        Assert.Equal(1, s.StallRestarts);
        Assert.Equal(0, s.Dropped);
        Assert.Equal([0, 1, 2], inner.CallerNumbers);
        Some.AssertAccounted(3, s);
    }
}
