using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Tests.Support;
using Serilog.Events;

namespace NonBlockingLog.Tests.Accounting;

public sealed class DropNoticeTests
{
    [Fact]
    public async Task Consumer_AfterDrops_WritesOneWarningWithCountsPerReason()
    {
        var (sink, inner) = await TestSinks.HeldAsync(Some.Options(capacity: 1, time: new FakeTimeProvider()));
        for (var i = 1; i <= 50; i++) sink.Emit(Some.Event(i)); // 1 queued, 49 dropped

        inner.Release();
        sink.Dispose();

        var notice = Assert.Single(inner.DropNotices);
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
        var time = new FakeTimeProvider();
        var inner = new ThrowingSink(failOnCalls: [1, 2, 3, 4, 5, 6]);
        var sink = TestSinks.Create(inner, Some.Options(batchSizeLimit: 1, time: time));
        using (sink)
        {
            // Each event is its own batch and fails: six drops, all within one notice interval. Once the consumer
            // waits with all six accounted, it has written every notice it was going to.
            for (var i = 1; i <= 6; i++) sink.Emit(Some.Event(i));
            Wait.Until(() => sink.GetSnapshot() is { Dropped: 6, Pending: 0, Phase: ConsumerPhase.Waiting }, "the six drops are accounted and the consumer waits");
            Assert.Equal(1, sink.GetSnapshot().DropNotices);

            // Once the interval has passed, the next batch carries one notice for the rest of the drops.
            time.Advance(TimeSpan.FromSeconds(1));
            sink.Emit(Some.Event(7));
        }

        var notices = inner.DropNotices.ToArray();
        Assert.Equal(2, notices.Length);
        var total = notices.Sum(n => (long)((ScalarValue)n.Properties["DroppedEvents"]).Value!);
        Assert.Equal(6, total);
    }

    [Fact]
    public void Consumer_WithoutDrops_WritesNoNotice()
    {
        var inner = new CollectingSink();
        using (var sink = TestSinks.Create(inner, Some.Options()))
        {
            for (var i = 0; i < 100; i++) sink.Emit(Some.Event(i));
        }

        Assert.Empty(inner.DropNotices);
    }
}
