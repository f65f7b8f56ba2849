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
}
