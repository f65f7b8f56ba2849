using Serilog.Events;

namespace NonBlockingLog.Tests.Support;

/// <summary>
/// Blocks inside Emit until <see cref="Release"/>: a hung disk, a lock never released. <see cref="Entered"/>
/// completes when the first call is inside, so a test knows the consumer is stuck without sleeping. An event
/// counts as taken when its call returns.
/// </summary>
public sealed class GatedSink : RecordingSink, IDisposable
{
    readonly ManualResetEventSlim _gate = new(false);
    readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Entered => _entered.Task;

    /// <summary>
    /// Runs <paramref name="emitFirst"/>, which must send this sink its first event, and returns once the consumer
    /// is held inside Emit with it: the queue behind it then fills exactly as the test emits.
    /// </summary>
    public async Task HoldConsumerAsync(Action emitFirst)
    {
        emitFirst();
        await Entered.WaitAsync(Wait.HangGuard);
    }

    public override void Emit(LogEvent logEvent)
    {
        _entered.TrySetResult();
        _gate.Wait();
        Record(logEvent);
    }

    public void Release() => _gate.Set();

    public void Dispose() => _gate.Set();
}
