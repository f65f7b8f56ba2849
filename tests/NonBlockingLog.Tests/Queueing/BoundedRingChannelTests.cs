using NonBlockingLog.Queueing;


namespace NonBlockingLog.Tests.Queueing;

public sealed class BoundedRingChannelTests
{
    static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(1000)]
    public void TryWrite_HoldsExactlyCapacityInOrderAcrossManyLaps(int capacity)
    {
        var channel = new BoundedRingChannel<string>(capacity);
        var next = 0;
        var expected = 0;
        for (var lap = 0; lap < 5; lap++)
        {
            var room = capacity - channel.Reader.Count;
            for (var i = 0; i < room; i++) Assert.True(channel.Writer.TryWrite((next++).ToString()));
            Assert.False(channel.Writer.TryWrite("overflow"));
            Assert.Equal(capacity, channel.Reader.Count);

            // Read part of it, so that the positions of the next lap do not line up with the array.
            var take = Math.Max(1, capacity / 2 + lap % 2);
            for (var i = 0; i < take; i++)
            {
                Assert.True(channel.Reader.TryRead(out var item));
                Assert.Equal((expected++).ToString(), item);
            }
        }

        while (channel.Reader.TryRead(out var item)) Assert.Equal((expected++).ToString(), item);
        Assert.Equal(next, expected);
        Assert.Equal(0, channel.Reader.Count);
        Assert.Equal(next, channel.Written);
    }

    [Fact]
    public async Task TryComplete_RefusesLaterWritesAndCompletesOnceDrained()
    {
        var channel = new BoundedRingChannel<string>(4);
        Assert.True(channel.Writer.TryWrite("a"));
        Assert.True(channel.Writer.TryComplete());
        Assert.False(channel.Writer.TryComplete());
        Assert.False(channel.Writer.TryWrite("b"));
        Assert.False(channel.Reader.Completion.IsCompleted);

        Assert.True(channel.Reader.TryPeek(out var peeked));
        Assert.Equal("a", peeked);
        Assert.True(channel.Reader.TryRead(out var item));
        Assert.Equal("a", item);
        await channel.Reader.Completion.WaitAsync(HangGuard);
        Assert.False(await channel.Reader.WaitToReadAsync());
        Assert.False(await channel.Writer.WaitToWriteAsync());
    }

    [Fact]
    public async Task WaitToReadAsync_CompletesWhenAnItemArrives()
    {
        var channel = new BoundedRingChannel<string>(2);
        var waiting = channel.Reader.WaitToReadAsync().AsTask();
        Assert.False(waiting.IsCompleted);
        channel.Writer.TryWrite("x");
        Assert.True(await waiting.WaitAsync(HangGuard));
        Assert.Equal("x", await channel.Reader.ReadAsync());
    }

    [Fact]
    public async Task WaitToWriteAsync_CompletesWhenRoomAppears()
    {
        var channel = new BoundedRingChannel<string>(1);
        channel.Writer.TryWrite("x");
        var waiting = channel.Writer.WaitToWriteAsync().AsTask();
        Assert.False(waiting.IsCompleted);
        channel.Reader.TryRead(out _);
        Assert.True(await waiting.WaitAsync(HangGuard));
    }

    [Fact]
    public async Task ManyWritersAndReaders_EveryItemIsReadExactlyOnceAndCapacityIsNeverExceeded()
    {
        const int writers = 4, perWriter = 50_000, capacity = 7;
        var channel = new BoundedRingChannel<Box>(capacity);
        var seen = new int[writers * perWriter];
        long written = 0, read = 0;
        var maxCount = 0;

        var producers = Enumerable.Range(0, writers).Select(w => Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var box = new Box(w * perWriter + i);
                while (!channel.Writer.TryWrite(box)) Thread.SpinWait(4);
                Interlocked.Increment(ref written);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        // Two readers, as when callers evict in DropOldest mode while the consumer reads.
        var consumers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() =>
        {
            while (Interlocked.Read(ref read) < writers * perWriter)
            {
                var count = channel.Reader.Count;
                if (count > Volatile.Read(ref maxCount)) Interlocked.Exchange(ref maxCount, count);
                if (channel.Reader.TryRead(out var box))
                {
                    Interlocked.Increment(ref seen[box.Value]);
                    Interlocked.Increment(ref read);
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        await Task.WhenAll(producers.Concat(consumers)).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.All(seen, n => Assert.Equal(1, n));
        Assert.Equal(writers * perWriter, channel.Written);
        Assert.InRange(maxCount, 0, capacity);
    }

    [Fact]
    public async Task TryComplete_RacingWriters_EveryAcceptedItemIsReadAndNoneAfter()
    {
        var channel = new BoundedRingChannel<Box>(64);
        long accepted = 0;
        using var started = new CountdownEvent(2);
        var writers = Enumerable.Range(0, 2).Select(w => Task.Factory.StartNew(() =>
        {
            started.Signal();
            for (var i = 0; ; i++)
            {
                if (channel.Writer.TryWrite(new Box(i))) Interlocked.Increment(ref accepted);
                else if (channel.Reader.Completion.IsCompleted || i > 10_000_000) return;
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        long read = 0;
        var reader = Task.Factory.StartNew(() =>
        {
            while (!channel.Reader.Completion.IsCompleted)
            {
                if (channel.Reader.TryRead(out _)) read++;
            }
        }, TaskCreationOptions.LongRunning);

        started.Wait(HangGuard);
        channel.Writer.TryComplete();
        await Task.WhenAll(writers.Append(reader)).WaitAsync(HangGuard);

        Assert.Equal(Interlocked.Read(ref accepted), read);
        Assert.Equal(read, channel.Written);
    }

    sealed record Box(int Value);
}
