using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Consumption;
using NonBlockingLog.Supervision;
using NonBlockingLog.Tests.Support;
using Serilog.Events;

namespace NonBlockingLog.Tests.Consumption;

/// <summary>
/// A writer that buffers (like a file stream) can lose the events it buffered when a write fails and it is
/// recovered; the consumer must then write the whole batch again rather than resume at the failed event.
/// </summary>
public sealed class OutageRedeliveryTests
{
    [Fact]
    public void Consumer_WhenABufferingWriterFailsMidBatch_WritesTheWholeBatchAgain()
    {
        var time = new FakeTimeProvider();
        var writer = new BufferingWriter(failOnWrite: 3);
        var sink = new NonBlockingSink(Some.Options(time: time), _ => writer);
        for (var i = 0; i < 5; i++) sink.Emit(Some.Event(i));
        Wait.Until(() => sink.Supervisor.Current.Phase == ConsumerPhase.BackingOff, "the consumer backs off");

        sink.CheckAfter(time, Backoff.MaxDelayFor(1));
        Wait.Until(() => sink.GetSnapshot().Written == 5, "the batch is written after the retry");
        sink.Dispose();

        Assert.Equal([0, 1, 2, 3, 4], writer.Durable.Select(Some.NumberOf));
        Some.AssertAccounted(5, sink.GetSnapshot());
    }

    sealed class BufferingWriter(int failOnWrite) : IBatchWriter
    {
        readonly List<LogEvent> _buffer = [];
        int _writes;

        public List<LogEvent> Durable { get; } = [];

        public string Description => "buffering test writer";

        public bool DefersFlush => true;

        public void Write(LogEvent logEvent)
        {
            if (++_writes == failOnWrite) throw new IOException("No space left on device (injected)");
            _buffer.Add(logEvent);
        }

        public void FlushBatch()
        {
            Durable.AddRange(_buffer.Where(e => !Some.IsDropNotice(e)));
            _buffer.Clear();
        }

        // What a file stream does on recovery: whatever it had buffered is gone.
        public void Recover() => _buffer.Clear();

        public void Dispose()
        {
        }
    }
}
