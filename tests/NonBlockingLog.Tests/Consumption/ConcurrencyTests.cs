using NonBlockingLog.Tests.Support;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Tests.Consumption;

/// <summary>Many producers at full speed: the accounting identity must hold exactly, whatever races.</summary>
public sealed class ConcurrencyTests
{
    const int Producers = 4;
    const int EventsPerProducer = 25_000;

    [Theory]
    [InlineData(QueueFullMode.DropNewest)]
    [InlineData(QueueFullMode.DropOldest)]
    [InlineData(QueueFullMode.Wait)]
    public async Task Emit_ManyProducersAtFullSpeed_EveryEventIsWrittenOrDroppedWithAReason(QueueFullMode mode)
    {
        var inner = new CountingSink();
        var sink = TestSinks.Create(inner, Some.Options(capacity: 64, fullMode: mode, batchSizeLimit: 16,
            waitTimeout: TimeSpan.FromMilliseconds(1)));

        await RunProducers(sink, _ => { });
        sink.Dispose();

        var s = sink.GetSnapshot();
        Some.AssertAccounted(Producers * EventsPerProducer, s);
        Assert.Equal(0, s.Pending);
        Assert.Equal(inner.CallerEvents, s.Written);
        Assert.Equal(0, s.DroppedByReason[DropReason.Disposed]);
        Assert.Equal(0, s.DroppedByReason[DropReason.SinkFailure]);
    }

    [Fact]
    public async Task Snapshot_WhileProducersRun_NeverCountsMoreThanWasEmitted()
    {
        var inner = new CountingSink();
        var sink = TestSinks.Create(inner, Some.Options(capacity: 128, batchSizeLimit: 32));
        long emitted = 0;
        var running = RunProducers(sink, _ => Interlocked.Increment(ref emitted));

        do
        {
            // Producers count before emitting, and we read the snapshot before the count, so every event the
            // snapshot has seen written or dropped is already in the count.
            var s = sink.GetSnapshot();
            var upper = Interlocked.Read(ref emitted);
            Assert.True(s.Written + s.Dropped <= upper, $"written {s.Written} + dropped {s.Dropped} > emitted {upper}");
            await Task.Yield();
        }
        while (!running.IsCompleted);

        await running;
        sink.Dispose();
        Some.AssertAccounted(Producers * EventsPerProducer, sink.GetSnapshot());
    }

    [Fact]
    public async Task Dispose_RacingEmit_EveryEventIsAccountedAndNothingThrows()
    {
        var inner = new CountingSink();
        var sink = TestSinks.Create(inner, Some.Options(capacity: 256, fullMode: QueueFullMode.Wait,
            waitTimeout: TimeSpan.FromMilliseconds(5)));
        // Producers run until disposal has returned and then emit a little more, so they surely race it.
        using var started = new CountdownEvent(Producers);
        var disposed = new ManualResetEventSlim(false);
        long emitted = 0;
        var events = Enumerable.Range(0, 64).Select(i => Some.Event(i)).ToArray();
        var producers = Task.WhenAll(Enumerable.Range(0, Producers).Select(_ => Task.Factory.StartNew(() =>
        {
            var after = 0;
            for (var i = 0; after < 1000; i++)
            {
                if (i == 100) started.Signal();
                if (disposed.IsSet) after++;
                Interlocked.Increment(ref emitted);
                sink.Emit(events[i & 63]);
            }
        }, TaskCreationOptions.LongRunning)));

        Assert.True(started.Wait(Wait.HangGuard), "the producers did not start");
        var disposers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(sink.Dispose, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(disposers).WaitAsync(Wait.HangGuard);
        disposed.Set();
        await producers.WaitAsync(Wait.HangGuard);

        var s = sink.GetSnapshot();
        Some.AssertAccounted(Interlocked.Read(ref emitted), s);
        Assert.Equal(0, s.Pending);
        Assert.True(s.DroppedByReason[DropReason.Disposed] >= Producers * 1000, "every event emitted after disposal is counted disposed");
        Assert.Equal(inner.CallerEvents, s.Written);
        Assert.Equal(SinkState.Stopped, s.State);
    }

    static Task RunProducers(ILogEventSink sink, Action<int> beforeEach)
    {
        var events = Enumerable.Range(0, 64).Select(i => Some.Event(i)).ToArray();
        return Task.WhenAll(Enumerable.Range(0, Producers).Select(_ => Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < EventsPerProducer; i++)
            {
                beforeEach(i);
                sink.Emit(events[i & 63]);
            }
        }, TaskCreationOptions.LongRunning))).WaitAsync(Wait.HangGuard);
    }

    sealed class CountingSink : ILogEventSink
    {
        long _callerEvents;

        public long CallerEvents => Interlocked.Read(ref _callerEvents);

        public void Emit(LogEvent logEvent)
        {
            if (!Some.IsDropNotice(logEvent)) Interlocked.Increment(ref _callerEvents);
        }
    }
}
