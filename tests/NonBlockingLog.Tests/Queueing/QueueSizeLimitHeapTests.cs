using NonBlockingLog.Tests.Support;
using Serilog;

namespace NonBlockingLog.Tests.Queueing;

[Collection(ProcessHeapCollection.Name)]
public sealed class QueueSizeLimitHeapTests
{
    // The case: 500 events of a million characters each behind a stuck destination took about 1 GB of heap.
    [Fact]
    public async Task Emit_FiveHundredMillionCharacterEventsBehindAStuckDestination_KeepTheHeapNearTheDefaultLimit()
    {
        var held = new GatedSink();
        var name = "memory-" + Guid.NewGuid().ToString("n");
        var log = new LoggerConfiguration().WriteTo.NonBlocking(to => to.Sink(held), name: name, shutdownTimeout: TimeSpan.FromMilliseconds(100)).CreateLogger();
        log.Information("first");
        await held.Entered.WaitAsync(Wait.HangGuard);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 0; i < 500; i++) log.Information("Payload {Number} {Body}", i, new string('x', 1_000_000));
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var s = NonBlockingLogSinks.Find(name)!.GetSnapshot();

        Assert.True(after - before < 100L * 1024 * 1024, $"the heap grew by {(after - before) / (1024 * 1024)} MB");
        Assert.InRange(s.QueueDepth, 1, 40);
        Assert.Equal(500 - s.QueueDepth, s.DroppedByReason[DropReason.MemoryLimit]);
        log.Dispose();
        held.Release();
    }
}
