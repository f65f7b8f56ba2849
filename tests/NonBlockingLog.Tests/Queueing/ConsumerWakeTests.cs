using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Queueing;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.Queueing;

/// <summary>
/// How callers and the consumer meet on an empty queue: the consumer dozes, and a caller wakes it once a batch's
/// worth of events waits; after a while without events it sleeps, and the first event's caller wakes it. A wake
/// that went missing would leave events unwritten for a whole doze (here ten minutes) or forever: the hang guard
/// catches both. The clock is a fake one, so no watchdog runs: stall recovery would otherwise rescue the events.
/// </summary>
public sealed class ConsumerWakeTests
{
    static readonly TimeSpan LongDoze = TimeSpan.FromMinutes(10);

    [Fact]
    public void Emit_WhileTheConsumerDozes_WakesItWhenWakeDepthEventsWait()
    {
        var inner = new CollectingSink();
        using var sink = TestSinks.Create(inner, Some.Options(capacity: 80, batchSizeLimit: 1000, dozeInterval: LongDoze, time: new FakeTimeProvider()));
        var queue = sink.Queue;
        Assert.Equal(10, queue.WakeDepth); // capacity / 8, at most one batch

        Wait.Until(() => queue.ConsumerSleep == ConsumerSleep.Dozing, "the consumer dozes on the empty queue");
        for (var i = 0; i < queue.WakeDepth - 1; i++) sink.Emit(Some.Event(i));
        Assert.Equal(ConsumerSleep.Dozing, queue.ConsumerSleep); // fewer than WakeDepth: nobody paid for a wake-up

        sink.Emit(Some.Event(queue.WakeDepth - 1));
        Wait.Until(() => inner.CallerEvents.Count() == queue.WakeDepth, "the dozing consumer, woken, writes them all");
        Some.AssertAccounted(queue.WakeDepth, sink.GetSnapshot());
    }

    [Fact]
    public void Emit_WhenTheConsumerSleeps_TheFirstEventWakesIt()
    {
        var inner = new CollectingSink();
        using var sink = TestSinks.Create(inner, Some.Options(dozeInterval: TimeSpan.FromMilliseconds(1), time: new FakeTimeProvider()));
        var queue = sink.Queue;
        for (var round = 0; round < 3; round++)
        {
            Wait.Until(() => queue.ConsumerSleep == ConsumerSleep.Asleep, "the idle consumer falls asleep after its dozes");
            sink.Emit(Some.Event(round));
            Wait.Until(() => inner.CallerEvents.Count() == round + 1, "the sleeping consumer, woken, writes the event");
        }
    }

    // With capacity 1 the wake depth is 1: every event wakes a dozing consumer, however long its doze.
    [Fact]
    public void Emit_WithCapacityOne_WakesTheDozingConsumerForEveryEvent()
    {
        var inner = new CollectingSink();
        using var sink = TestSinks.Create(inner, Some.Options(capacity: 1, fullMode: QueueFullMode.Wait,
            waitTimeout: TimeSpan.FromSeconds(30), dozeInterval: LongDoze, time: new FakeTimeProvider()));
        Assert.Equal(1, sink.Queue.WakeDepth);
        for (var i = 0; i < 200; i++) sink.Emit(Some.Event(i));
        Wait.Until(() => inner.CallerEvents.Count() == 200, "every event is written");
        Some.AssertAccounted(200, sink.GetSnapshot());
    }
}
