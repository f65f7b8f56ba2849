using NonBlockingLog.Tests.Consumption;
using NonBlockingLog.Tests.Support;
using Serilog.Events;

namespace NonBlockingLog.Tests.Accounting;

public sealed class DropNoticeTests
{
    static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Consumer_AfterDrops_WritesOneWarningWithCountsPerReason()
    {
        var time = new ManualTimeProvider();
        var inner = new GatedSink();
        var sink = NonBlockingSinkTests.Create(inner, Some.Options(capacity: 1, time: time));
        sink.Emit(Some.Event(0));
        await inner.Entered.WaitAsync(HangGuard);
        for (var i = 1; i <= 50; i++) sink.Emit(Some.Event(i)); // 1 queued, 49 dropped

        inner.Release();
        sink.Dispose();

        var notice = Assert.Single(inner.Events, Some.IsDropNotice);
        Assert.Equal(LogEventLevel.Warning, notice.Level);
        Assert.Equal(49L, ((ScalarValue)notice.Properties["DroppedEvents"]).Value);
        Assert.Equal(49L, ((ScalarValue)notice.Properties["QueueFull"]).Value);
        Assert.Equal("queue_full: 49", ((ScalarValue)notice.Properties["DropReasons"]).Value);
        Assert.Equal(sink.Name, ((ScalarValue)notice.Properties["SinkName"]).Value);
        Assert.Contains("dropped 49 events", notice.RenderMessage());

        var s = sink.GetSnapshot();
        Assert.Equal(1, s.DropNotices);
        Assert.Equal(2, s.Written); // the notice is the sink's own event, not counted as written
    }

    [Fact]
    public void Consumer_WhenDropsKeepComing_WritesAtMostOneNoticePerInterval()
    {
        var time = new ManualTimeProvider();
        var inner = new ThrowingSink(failOnCalls: [1, 2, 3, 4, 5, 6]);
        var sink = NonBlockingSinkTests.Create(inner, Some.Options(batchSizeLimit: 1, time: time));
        using (sink)
        {
            // Each event is its own batch and fails: six drops, all within one notice interval.
            for (var i = 1; i <= 6; i++) sink.Emit(Some.Event(i));
            SpinWait.SpinUntil(() => sink.GetSnapshot().Dropped == 6, HangGuard);
            SpinWait.SpinUntil(() => sink.GetSnapshot().DropNotices == 1, HangGuard);
            Assert.Equal(1, sink.GetSnapshot().DropNotices);

            // Once the interval has passed, the next batch carries one notice for the rest of the drops.
            time.Advance(TimeSpan.FromSeconds(1));
            sink.Emit(Some.Event(7));
        }

        var notices = inner.Events.Where(Some.IsDropNotice).ToArray();
        Assert.Equal(2, notices.Length);
        var total = notices.Sum(n => (long)((ScalarValue)n.Properties["DroppedEvents"]).Value!);
        Assert.Equal(6, total);
    }

    [Fact]
    public void Consumer_WithoutDrops_WritesNoNotice()
    {
        var inner = new CollectingSink();
        using (var sink = NonBlockingSinkTests.Create(inner, Some.Options()))
        {
            for (var i = 0; i < 100; i++) sink.Emit(Some.Event(i));
        }

        Assert.Empty(inner.DropNotices);
    }
}
