using NonBlockingLog.Queueing;
using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Tests.Queueing;

/// <summary>queueSizeLimitBytes: memory stays bounded whatever the events carry.</summary>
public sealed class QueueSizeLimitTests
{
    static readonly MessageTemplate Template = new MessageTemplateParser().Parse("Payload {Number} {Body}");

    static LogEvent Large(int number, int chars, LogEventLevel level = LogEventLevel.Information) =>
        new(DateTimeOffset.UtcNow, level, null, Template, [new LogEventProperty("Number", new ScalarValue(number)), new LogEventProperty("Body", new ScalarValue(new string('x', chars)))]);

    // Event 1, an error carrying exception: the tests below vary only what the exception's message does.
    static LogEvent ErrorOne(Exception exception) =>
        new(DateTimeOffset.UtcNow, LogEventLevel.Error, exception, Template, [new LogEventProperty("Number", new ScalarValue(1))]);

    [Fact]
    public void OfLarge_AnOrdinaryEvent_IsNotCounted()
    {
        Assert.Equal(0, EventSize.OfLarge(Some.Event(1)));
    }

    [Fact]
    public void OfLarge_CountsStringsAtAnyDepthAndExceptions()
    {
        var nested = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Error, new InvalidOperationException(new string('e', 1000)), Template,
        [
            new LogEventProperty("Body", new SequenceValue([new StructureValue([new LogEventProperty("Text", new ScalarValue(new string('x', 10_000)))])])),
        ]);

        var size = EventSize.OfLarge(nested);
        Assert.InRange(size, 2 * 10_000 + 2 * 1000, 2 * 10_000 + 2 * 1000 + 8 * 1024);
    }

    [Fact]
    public async Task Emit_LargeEventsBehindAStuckDestination_StayWithinTheLimitAndTheRestAreCountedMemoryLimit()
    {
        const long Limit = 4L * 1024 * 1024;
        var held = new GatedSink();
        var limited = TestSinks.Create(held, Some.Options(queueSizeLimitBytes: Limit));
        limited.Emit(Large(0, 10)); // ordinary: taken by the consumer, which hangs on it
        await held.Entered.WaitAsync(Wait.HangGuard);

        for (var i = 1; i <= 100; i++) limited.Emit(Large(i, 100_000)); // about 200 KB each: 20 fit in 4 MB
        var during = limited.GetSnapshot();
        Assert.InRange(during.QueuedBytes, 1, Limit);
        Assert.InRange(during.QueueDepth, 15, 20);
        Assert.Equal(100 - during.QueueDepth, during.DroppedByReason[DropReason.MemoryLimit]);
        Some.AssertAccounted(101, during);

        // Ordinary events still get in: only large ones count against the limit.
        limited.Emit(Some.Event(200));
        Assert.Equal(during.QueueDepth + 1, limited.GetSnapshot().QueueDepth);

        held.Release();
        limited.Dispose();
        var s = limited.GetSnapshot();
        Assert.Equal(0, s.QueuedBytes);
        Assert.Equal(during.QueueDepth + 2, s.Written);
        Some.AssertAccounted(102, s);
    }

    [Fact]
    public async Task Emit_DropOldest_AnEventTooLargeForTheBytesLeft_IsDroppedWithoutEvictingOthers()
    {
        var held = new GatedSink();
        using var sink = TestSinks.Create(held, Some.Options(fullMode: QueueFullMode.DropOldest, queueSizeLimitBytes: 300_000));
        sink.Emit(Some.Event(0));
        await held.Entered.WaitAsync(Wait.HangGuard);
        sink.Emit(Large(1, 100_000));
        sink.Emit(Some.Event(2));

        sink.Emit(Large(3, 100_000)); // 400 KB of large events would pass 300 KB

        var s = sink.GetSnapshot();
        Assert.Equal(1, s.DroppedByReason[DropReason.MemoryLimit]);
        Assert.Equal(0, s.DroppedByReason[DropReason.QueueFull]);
        Assert.Equal(2, s.QueueDepth);
        held.Release();
    }

    [Fact]
    public async Task Emit_Wait_ALargeEventWaitsForBytesAsForRoom()
    {
        var held = new GatedSink();
        using var sink = TestSinks.Create(held, Some.Options(fullMode: QueueFullMode.Wait, waitTimeout: Wait.HangGuard, queueSizeLimitBytes: 300_000));
        sink.Emit(Some.Event(0));
        await held.Entered.WaitAsync(Wait.HangGuard);
        sink.Emit(Large(1, 100_000));

        var waiting = Task.Factory.StartNew(() => sink.Emit(Large(2, 100_000)), TaskCreationOptions.LongRunning);
        Wait.Until(() => sink.Queue.RoomWaiterCount == 1, "the caller waits for bytes");
        Assert.False(waiting.IsCompleted);

        held.Release();
        await waiting.WaitAsync(Wait.HangGuard);
        sink.Dispose();
        var s = sink.GetSnapshot();
        Assert.Equal(3, s.Written);
        Assert.Equal(0, s.Dropped);
    }

    [Fact]
    public async Task Emit_AnEventLargerThanTheWholeLimit_GetsInWhenNothingElseIsCounted()
    {
        var held = new GatedSink();
        using var sink = TestSinks.Create(held, Some.Options(queueSizeLimitBytes: 10_000));
        sink.Emit(Some.Event(0));
        await held.Entered.WaitAsync(Wait.HangGuard);

        sink.Emit(Large(1, 100_000));
        sink.Emit(Large(2, 100_000));

        var s = sink.GetSnapshot();
        Assert.Equal(1, s.QueueDepth);
        Assert.Equal(1, s.DroppedByReason[DropReason.MemoryLimit]);
        held.Release();
    }

    // An application's exception whose Message getter throws: measuring it on the caller's path must not throw.
    sealed class MessageThrowsException : Exception
    {
        public override string Message => throw new InvalidOperationException("Message is broken");
    }

    // An exception whose Message is long at first and empty after: an estimate made again when the event leaves the
    // queue would differ from the one made when it entered.
    sealed class ShrinkingMessageException(int chars) : Exception
    {
        int _reads;

        public override string Message => Interlocked.Increment(ref _reads) == 1 ? new string('m', chars) : "";
    }

    // Measured once when the event enters the queue; a second read throws.
    sealed class MessageOnceException(int chars) : Exception
    {
        int _reads;

        public override string Message => Interlocked.Increment(ref _reads) == 1 ? new string('m', chars) : throw new InvalidOperationException("read again");
    }

    [Fact]
    public void Emit_ExceptionWhoseMessageThrows_ReturnsAndTheEventIsWrittenAndAccounted()
    {
        var inner = new CollectingSink();
        var name = Some.UniqueName("size");
        INonBlockingLogInspector inspector;
        using (var log = new LoggerConfiguration().WriteTo.NonBlocking(to => to.Sink(inner), name: name).CreateLogger())
        {
            inspector = NonBlockingLogSinks.Find(name)!;
            var thrown = Record.Exception(() => log.Error(new MessageThrowsException(), "failed {Number}", 1));
            Assert.Null(thrown);
        }

        var e = Assert.Single(inner.CallerEvents);
        Assert.IsType<MessageThrowsException>(e.Exception);
        var s = inspector.GetSnapshot();
        Assert.Equal(1, s.Written);
        Assert.Equal(0, s.QueuedBytes);
        Some.AssertAccounted(1, s);
    }

    [Fact]
    public async Task TakeBatch_EventWhoseEstimateChangesWhileQueued_ReleasesExactlyWhatItReserved()
    {
        var (sink, gate) = await TestSinks.HeldAsync(Some.Options());
        var changing = ErrorOne(new ShrinkingMessageException(50_000));
        sink.Emit(changing);
        sink.Emit(Large(2, 10_000));
        var reserved = sink.GetSnapshot().QueuedBytes;
        Assert.InRange(reserved, 2 * 50_000 + 2 * 10_000, long.MaxValue);

        gate.Release();
        await sink.DisposeWithinHangGuardAsync();

        var s = sink.GetSnapshot();
        Assert.Equal(0, s.QueuedBytes);
        Assert.Equal(3, s.Written);
        Some.AssertAccounted(3, s);
    }

    [Fact]
    public async Task TakeBatch_EventWhoseMessageThrowsWhenReadAgain_IsWrittenNotLost()
    {
        var (sink, gate) = await TestSinks.HeldAsync(Some.Options());
        sink.Emit(ErrorOne(new MessageOnceException(1_000)));
        sink.Emit(Large(2, 10_000));

        gate.Release();
        await sink.DisposeWithinHangGuardAsync();

        Assert.Equal([0, 1, 2], gate.CallerNumbers);
        var s = sink.GetSnapshot();
        Assert.Equal(0, s.QueuedBytes);
        Assert.Equal(0, s.FaultRestarts);
        Some.AssertAccounted(3, s);
    }

    [Fact]
    public async Task Emit_DropOldest_EvictingAnEventWhoseMessageThrowsWhenReadAgain_CountsTheEviction()
    {
        var (sink, gate) = await TestSinks.HeldAsync(Some.Options(capacity: 2, fullMode: QueueFullMode.DropOldest));
        sink.Emit(ErrorOne(new MessageOnceException(1_000)));
        sink.Emit(Some.Event(2));
        sink.Emit(Some.Event(3)); // evicts event 1

        gate.Release();
        await sink.DisposeWithinHangGuardAsync();

        Assert.Equal([0, 2, 3], gate.CallerNumbers);
        var s = sink.GetSnapshot();
        Assert.Equal(1, s.DroppedByReason[DropReason.QueueFull]);
        Assert.Equal(0, s.QueuedBytes);
        Some.AssertAccounted(4, s);
    }

    [Fact]
    public void QueueSizeLimitBytes_BelowTheLargeEventThreshold_FailsAtConfiguration()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new LoggerConfiguration().WriteTo.NonBlocking(to => to.Sink(new CollectingSink()), queueSizeLimitBytes: 100));
        Assert.Equal("queueSizeLimitBytes", error.ParamName);
    }
}
