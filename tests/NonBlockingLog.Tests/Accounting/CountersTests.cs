using NonBlockingLog.Accounting;
using NonBlockingLog.Tests.Support;

namespace NonBlockingLog.Tests.Accounting;

public sealed class CountersTests
{
    // Drop counts are striped per processor; whatever stripe each increment lands in, the sums must be exact.
    [Fact]
    public async Task AddDropped_FromManyThreadsAtOnce_SumsExactlyPerReason()
    {
        var counters = new Counters(TimeProvider.System);
        var reasons = Enum.GetValues<DropReason>();
        const int threads = 8;
        const int perThread = 50_000;
        using var start = new ManualResetEventSlim();
        var workers = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.Wait();
            for (var i = 0; i < perThread; i++)
            {
                counters.AddDropped(reasons[(t + i) % reasons.Length]);
                if (i % 1000 == 0) Thread.Yield(); // move between processors, and so between stripes
            }

            counters.AddDropped(DropReason.SinkFailure, 1000 + t);
        }, TaskCreationOptions.LongRunning)).ToArray();

        // Readers run while the writers do: totals only ever grow.
        var lastTotal = 0L;
        start.Set();
        do
        {
            var total = counters.TotalDropped();
            Assert.True(total >= lastTotal, $"total went back from {lastTotal} to {total}");
            lastTotal = total;
        }
        while (!workers.All(w => w.IsCompleted));

        await Task.WhenAll(workers).WaitAsync(Wait.HangGuard);

        var expected = new long[reasons.Length];
        for (var t = 0; t < threads; t++)
        {
            for (var i = 0; i < perThread; i++) expected[(t + i) % reasons.Length]++;
            expected[(int)DropReason.SinkFailure] += 1000 + t;
        }

        Assert.Equal(expected, counters.DroppedByReason());
        foreach (var reason in reasons) Assert.Equal(expected[(int)reason], counters.Dropped(reason));
        Assert.Equal(expected.Sum(), counters.TotalDropped());
    }
}
