using NonBlockingLog.Queueing;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.Queueing;

public sealed class BoundedRingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(1000)]
    public void TryWrite_AcrossManyLaps_HoldsExactlyCapacityInOrder(int capacity)
    {
        var ring = new BoundedRing<string>(capacity);
        var next = 0;
        var expected = 0;
        for (var lap = 0; lap < 5; lap++)
        {
            var room = capacity - ring.Count;
            for (var i = 0; i < room; i++) Assert.True(ring.TryWrite((next++).ToString()));
            Assert.False(ring.TryWrite("overflow"));
            Assert.Equal(capacity, ring.Count);

            // Read part of it, so that the positions of the next lap do not line up with the array.
            var take = Math.Max(1, capacity / 2 + lap % 2);
            for (var i = 0; i < take; i++)
            {
                Assert.True(ring.TryRead(out var item));
                Assert.Equal((expected++).ToString(), item);
            }
        }

        while (ring.TryRead(out var item)) Assert.Equal((expected++).ToString(), item);
        Assert.Equal(next, expected);
        Assert.Equal(0, ring.Count);
        Assert.Equal(next, ring.Written);
    }

    [Fact]
    public void Complete_WithAnItemLeft_RefusesLaterWritesAndIsCompletedAndEmptyOnlyOnceRead()
    {
        var ring = new BoundedRing<string>(4);
        Assert.True(ring.TryWrite("a"));
        Assert.False(ring.IsCompletedAndEmpty);
        Assert.True(ring.Complete());
        Assert.False(ring.Complete());
        Assert.False(ring.TryWrite("b"));
        Assert.False(ring.IsCompletedAndEmpty);

        Assert.True(ring.HasReadyItem());
        Assert.True(ring.TryRead(out var item));
        Assert.Equal("a", item);
        Assert.False(ring.HasReadyItem());
        Assert.True(ring.IsCompletedAndEmpty);
        Assert.False(ring.TryRead(out _));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TryRead_WeightedRing_GivesBackEachItemsWeightAcrossLaps(int capacity)
    {
        var ring = new BoundedRing<string>(capacity, weighted: true);
        var next = 0;
        var expected = 0;
        for (var lap = 0; lap < 5; lap++)
        {
            while (ring.TryWrite(next.ToString(), weight: 1_000L * next)) next++;
            for (var i = 0; i < Math.Max(1, capacity - 1); i++)
            {
                Assert.True(ring.TryRead(out var item, out var weight));
                Assert.Equal(expected.ToString(), item);
                Assert.Equal(1_000L * expected++, weight);
            }
        }

        while (ring.TryRead(out var item, out var weight))
        {
            Assert.Equal(expected.ToString(), item);
            Assert.Equal(1_000L * expected++, weight);
        }

        Assert.Equal(next, expected);
    }

    [Fact]
    public void TryRead_WeightedRing_ASlotReusedWithoutWeight_GivesBackZero()
    {
        var ring = new BoundedRing<string>(1, weighted: true); // two slots
        foreach (var (item, weight) in new[] { ("a", 5L), ("b", 0L), ("c", 0L), ("d", 7L), ("e", 0L) })
        {
            Assert.True(ring.TryWrite(item, weight));
            Assert.True(ring.TryRead(out var read, out var readWeight));
            Assert.Equal((item, weight), (read, readWeight));
        }
    }

    [Fact]
    public void TryRead_UnweightedRing_GivesBackZero()
    {
        var ring = new BoundedRing<string>(2);
        Assert.True(ring.TryWrite("a", weight: 5));
        Assert.True(ring.TryRead(out var item, out var weight));
        Assert.Equal("a", item);
        Assert.Equal(0, weight);
    }

    [Fact]
    public void IsCompletedAndEmpty_WhenEmptyButNotCompleted_IsFalse()
    {
        var ring = new BoundedRing<string>(2);
        ring.TryWrite("a");
        ring.TryRead(out _);
        Assert.False(ring.IsCompletedAndEmpty);
    }

    [Fact]
    public async Task TryWriteAndTryRead_FromManyThreads_ReadEveryItemExactlyOnceWithinCapacity()
    {
        const int writers = 4, perWriter = 50_000, capacity = 7;
        var ring = new BoundedRing<Box>(capacity);
        var seen = new int[writers * perWriter];
        long read = 0;
        var maxCount = 0;

        var producers = Enumerable.Range(0, writers).Select(w => Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var box = new Box(w * perWriter + i);
                while (!ring.TryWrite(box)) Thread.SpinWait(4);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        // Two readers, as when callers evict in DropOldest mode while the consumer reads.
        var consumers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() =>
        {
            while (Interlocked.Read(ref read) < writers * perWriter)
            {
                var count = ring.Count;
                if (count > Volatile.Read(ref maxCount)) Interlocked.Exchange(ref maxCount, count);
                if (ring.TryRead(out var box))
                {
                    Interlocked.Increment(ref seen[box.Value]);
                    Interlocked.Increment(ref read);
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        await Task.WhenAll(producers.Concat(consumers)).WaitAsync(Wait.HangGuard);

        Assert.All(seen, n => Assert.Equal(1, n));
        Assert.Equal(writers * perWriter, ring.Written);
        Assert.InRange(maxCount, 1, capacity);
    }

    [Fact]
    public async Task Complete_RacingWriters_EveryAcceptedItemIsReadAndNoneAfter()
    {
        var ring = new BoundedRing<Box>(64);
        long accepted = 0, refusedAfterCompletion = 0;
        using var started = new CountdownEvent(2);
        var completed = 0;
        var writers = Enumerable.Range(0, 2).Select(w => Task.Factory.StartNew(() =>
        {
            started.Signal();
            for (var i = 0; ; i++)
            {
                var wasCompleted = Volatile.Read(ref completed) != 0;
                if (ring.TryWrite(new Box(i)))
                {
                    Assert.False(wasCompleted, "a write succeeded after Complete returned");
                    Interlocked.Increment(ref accepted);
                }
                else if (wasCompleted)
                {
                    Interlocked.Increment(ref refusedAfterCompletion);
                    return;
                }
                else if (i > 10_000_000)
                {
                    return;
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        long read = 0;
        var reader = Task.Factory.StartNew(() =>
        {
            while (!ring.IsCompletedAndEmpty)
            {
                if (ring.TryRead(out _)) read++;
            }
        }, TaskCreationOptions.LongRunning);

        Assert.True(started.Wait(Wait.HangGuard), "the writers did not start");
        ring.Complete();
        Volatile.Write(ref completed, 1);
        await Task.WhenAll(writers.Append(reader)).WaitAsync(Wait.HangGuard);

        Assert.Equal(2, refusedAfterCompletion);
        Assert.Equal(Interlocked.Read(ref accepted), read);
        Assert.Equal(read, ring.Written);
    }

    sealed record Box(int Value);
}
