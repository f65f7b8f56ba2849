using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Consumption;
using NonBlockingLog.Files;
using NonBlockingLog.Queueing;
using NonBlockingLog.Settings;
using NonBlockingLog.Supervision;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Tests.Support;

/// <summary>
/// The sink under test, a NonBlockingSink, built over a test destination as <c>WriteTo.NonBlocking</c> builds it
/// (a first writer now, a new one after each stall), with whatever options the test needs; and its supervision
/// driven by hand, for a test that owns the clock.
/// </summary>
internal static class TestSinks
{
    /// <summary>A sink that writes to <paramref name="destination"/>, and to it again after a stall.</summary>
    public static NonBlockingSink Create(ILogEventSink destination, NonBlockingSinkOptions options) =>
        new(options, failures => new SinkBatchWriter(destination, failures));

    /// <summary>A sink that writes to <paramref name="first"/>, and after each stall to what <paramref name="rebuild"/> returns (or throws).</summary>
    public static NonBlockingSink Create(NonBlockingSinkOptions options, ILogEventSink first, Func<ILogEventSink> rebuild)
    {
        var built = 0;
        return new(options, failures => new SinkBatchWriter(Interlocked.Increment(ref built) == 1 ? first : rebuild(), failures));
    }

    /// <summary>A sink that writes a file with the FileBatchWriter of <c>WriteTo.NonBlockingFile</c>, on the sink's clock.</summary>
    public static NonBlockingSink CreateOverFile(FileWriterOptions file, NonBlockingSinkOptions options) =>
        new(options, failures => new FileBatchWriter(file, options.TimeProvider, failures));

    /// <summary>
    /// A sink over a new <see cref="GatedSink"/>, returned once its consumer is held inside the gate with
    /// <paramref name="first"/> (event 0 unless given): until the gate is released, the queue fills exactly as
    /// the test emits. After a stall the sink writes to what <paramref name="rebuild"/> returns, if given.
    /// </summary>
    public static async Task<(NonBlockingSink Sink, GatedSink Gate)> HeldAsync(
        NonBlockingSinkOptions options, LogEvent? first = null, Func<ILogEventSink>? rebuild = null)
    {
        var (sink, gate) = OverGate(options, rebuild);
        await gate.HoldConsumerAsync(() => sink.Emit(first ?? Some.Event(0)));
        return (sink, gate);
    }

    /// <summary>
    /// Like <see cref="HeldAsync"/>, but the held call is the first of a whole batch, events 0 to BatchSizeLimit - 1,
    /// so that the rest of the batch is in flight behind it. A dozing consumer is woken only once its wake depth of
    /// events waits, and then takes them all: <paramref name="options"/> must make the doze long and the wake depth
    /// the batch size limit (a capacity of at least eight batches).
    /// </summary>
    public static async Task<(NonBlockingSink Sink, GatedSink Gate)> HeldOnBatchAsync(NonBlockingSinkOptions options, Func<ILogEventSink>? rebuild = null)
    {
        var (sink, gate) = OverGate(options, rebuild);
        var batch = options.BatchSizeLimit;
        Assert.Equal(batch, sink.Queue.WakeDepth);
        Wait.Until(() => sink.Queue.ConsumerSleep == ConsumerSleep.Dozing, "the consumer dozes on the empty queue");
        await gate.HoldConsumerAsync(() =>
        {
            for (var i = 0; i < batch; i++) sink.Emit(Some.Event(i));
        });
        Assert.Equal(batch, sink.GetSnapshot().InFlight);
        return (sink, gate);
    }

    static (NonBlockingSink Sink, GatedSink Gate) OverGate(NonBlockingSinkOptions options, Func<ILogEventSink>? rebuild)
    {
        var gate = new GatedSink();
        return (rebuild is null ? Create(gate, options) : Create(options, gate, rebuild), gate);
    }

    /// <summary>Disposes the sink on a thread of its own: a disposal that hangs then fails the test at the hang guard, instead of hanging the run.</summary>
    public static Task DisposeWithinHangGuardAsync(this NonBlockingSink sink) =>
        Task.Factory.StartNew(sink.Dispose, TaskCreationOptions.LongRunning).WaitAsync(Wait.HangGuard);

    /// <summary>
    /// Asserts that a caller who finds the queue full waits for room rather than dropping: its Emit of
    /// <paramref name="next"/> blocks while the consumer is held in <paramref name="gate"/>, and returns once the
    /// gate is released.
    /// </summary>
    public static async Task AssertEmitWaitsForRoomAsync(this NonBlockingSink sink, GatedSink gate, LogEvent next)
    {
        var waiting = BlockingCall.Start(() => sink.Emit(next));
        waiting.AssertBlocked();
        Assert.Equal(0, sink.GetSnapshot().Dropped);
        gate.Release();
        await waiting.Returned.WaitAsync(Wait.HangGuard);
    }

    /// <summary>
    /// Moves the fake clock on by <paramref name="elapsed"/> and runs one supervision step, as the watchdog would
    /// then: a restart or a retry that is due happens, a stall that has lasted long enough is detected.
    /// </summary>
    public static void CheckAfter(this NonBlockingSink sink, FakeTimeProvider time, TimeSpan elapsed)
    {
        time.Advance(elapsed);
        sink.Supervisor.CheckOnce();
    }

    /// <summary>
    /// Ends the consumer's outage backoff, however long, as the watchdog would once it is due, and waits until the
    /// consumer has tried again: it left BackingOff, or entered it anew after another failed attempt.
    /// </summary>
    public static void RetryNow(this NonBlockingSink sink, FakeTimeProvider time)
    {
        var consumer = sink.Supervisor.Current;
        var backingOffSince = consumer.PhaseSince;
        sink.CheckAfter(time, Backoff.MaxDelay);
        Wait.Until(() => consumer.Phase != ConsumerPhase.BackingOff || consumer.PhaseSince != backingOffSince, "the consumer tries again");
    }
}
