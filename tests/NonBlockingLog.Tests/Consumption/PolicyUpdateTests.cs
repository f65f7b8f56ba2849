using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Settings;
using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Events;

namespace NonBlockingLog.Tests.Consumption;

public sealed class PolicyUpdateTests
{
    [Fact]
    public async Task UpdatePolicy_FromDropNewestToDropOldest_AppliesToTheRunningSink()
    {
        var (sink, inner) = await TestSinks.HeldAsync(Some.Options(capacity: 2));
        for (var i = 1; i <= 3; i++) sink.Emit(Some.Event(i)); // 1, 2 queued; 3 dropped (newest)

        sink.UpdatePolicy(QueueFullMode.DropOldest, null, null);
        for (var i = 4; i <= 5; i++) sink.Emit(Some.Event(i)); // evict 1 and 2

        Assert.Equal(QueueFullMode.DropOldest, sink.GetSnapshot().FullMode);
        inner.Release();
        sink.Dispose();
        Assert.Equal([0, 4, 5], inner.CallerNumbers);
        var s = sink.GetSnapshot();
        Assert.Equal(3, s.DroppedByReason[DropReason.QueueFull]);
        Some.AssertAccounted(6, s);
    }

    [Fact]
    public async Task UpdatePolicy_FromDropNewestToWait_MakesCallersWaitForRoom()
    {
        var (sink, inner) = await TestSinks.HeldAsync(Some.Options(capacity: 1));
        sink.Emit(Some.Event(1));

        sink.UpdatePolicy(QueueFullMode.Wait, TimeSpan.FromMinutes(10), null);
        await sink.AssertEmitWaitsForRoomAsync(inner, Some.Event(2));
        sink.Dispose();

        Assert.Equal([0, 1, 2], inner.CallerNumbers);
        Assert.Equal(0, sink.GetSnapshot().Dropped);
    }

    [Fact]
    public async Task UpdatePolicy_ReservedForWarnings_AppliesAtOnce()
    {
        var (sink, inner) = await TestSinks.HeldAsync(Some.Options(capacity: 4));
        sink.UpdatePolicy(null, null, reservedForWarnings: 2);

        for (var i = 1; i <= 3; i++) sink.Emit(Some.Event(i, LogEventLevel.Information));
        sink.Emit(Some.Event(4, LogEventLevel.Error));

        var s = sink.GetSnapshot();
        Assert.Equal(1, s.DroppedByReason[DropReason.LevelReserve]);
        Assert.Equal(2, s.ReservedForWarnings);
        Assert.NotNull(s.LastDropAt);
        inner.Release();
        sink.Dispose();
        Assert.Equal([0, 1, 2, 4], inner.CallerNumbers);
    }

    [Fact]
    public void UpdatePolicy_WithABadValue_ThrowsNamingTheSettingAndKeepsThePolicy()
    {
        var name = Some.UniqueName("policy");
        using var logger = new LoggerConfiguration().WriteTo.NonBlocking(to => to.Sink(new CollectingSink()), capacity: 10, name: name).CreateLogger();

        var thrown = Assert.Throws<ArgumentOutOfRangeException>(() => NonBlockingLogSinks.UpdatePolicy(name, reservedForWarnings: 10));
        Assert.Equal("reservedForWarnings", thrown.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => NonBlockingLogSinks.UpdatePolicy(name, waitTimeout: TimeSpan.Zero));
        Assert.Equal(2, NonBlockingLogSinks.Find(name)!.GetSnapshot().ReservedForWarnings); // the default, a fifth of capacity
        Assert.False(NonBlockingLogSinks.UpdatePolicy("no-such-sink-" + name, QueueFullMode.Wait));
    }

    // Emit reads the policy once per event: whatever it reads must be one policy that was set, whole.
    [Fact]
    public void UpdatePolicy_AlternatingTwoPolicies_EveryReaderSeesOnePolicyWhole()
    {
        using var sink = TestSinks.Create(new CollectingSink(), Some.Options(capacity: 1_000, time: new FakeTimeProvider()));
        var a = (Mode: QueueFullMode.DropOldest, Timeout: TimeSpan.FromSeconds(1), Reserve: 100, Flood: 10);
        var b = (Mode: QueueFullMode.Wait, Timeout: TimeSpan.FromSeconds(2), Reserve: 300, Flood: 20);
        sink.UpdatePolicy(a.Mode, a.Timeout, a.Reserve, a.Flood);
        var done = 0;
        long reads = 0, mixed = 0;
        var readers = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            while (Volatile.Read(ref done) == 0)
            {
                var p = sink.Policy;
                var seen = (p.FullMode, p.WaitTimeout, p.ReservedForWarnings, p.FloodLimit);
                if ((seen != a && seen != b) || p.LowLevelLimit != 1_000 - p.ReservedForWarnings) Interlocked.Increment(ref mixed);
                Interlocked.Increment(ref reads);
            }
        })).ToArray();
        foreach (var r in readers) r.Start();

        for (var i = 0; i < 20_000; i++)
        {
            var next = i % 2 == 0 ? b : a;
            sink.UpdatePolicy(next.Mode, next.Timeout, next.Reserve, next.Flood);
        }

        Volatile.Write(ref done, 1);
        foreach (var r in readers) r.Join();
        Assert.True(reads > 0);
        Assert.Equal(0, mixed);
        Assert.Equal(a.Reserve, sink.Queue.ReservedForWarnings);
    }

    // Two reloads at once, each changing its own setting: neither may undo the other's change.
    [Fact]
    public void UpdatePolicy_FromTwoThreadsAtOnce_KeepsEachThreadsChange()
    {
        using var sink = TestSinks.Create(new CollectingSink(), Some.Options(capacity: 1_000, time: new FakeTimeProvider()));
        const int Updates = 20_000;
        long undone = 0;
        using var start = new Barrier(2);
        var timeouts = new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 1; i <= Updates; i++)
            {
                sink.UpdatePolicy(null, TimeSpan.FromMilliseconds(i), null);
                if (sink.Policy.WaitTimeout != TimeSpan.FromMilliseconds(i)) Interlocked.Increment(ref undone);
            }
        });
        var floods = new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 1; i <= Updates; i++)
            {
                sink.UpdatePolicy(null, null, null, floodLimit: i);
                if (sink.Policy.FloodLimit != i) Interlocked.Increment(ref undone);
            }
        });
        timeouts.Start();
        floods.Start();
        timeouts.Join();
        floods.Join();

        Assert.Equal(0, undone);
        Assert.Equal(TimeSpan.FromMilliseconds(Updates), sink.Policy.WaitTimeout);
        Assert.Equal(Updates, sink.Policy.FloodLimit);
    }
}
