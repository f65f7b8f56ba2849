using Serilog.Events;

namespace NonBlockingLog.Tests.Support;

/// <summary>Throws IOException (a full disk) for every event until <see cref="Heal"/>; keeps events after that.</summary>
public sealed class HealableSink : RecordingSink
{
    readonly TaskCompletionSource _failedOnce = new(TaskCreationOptions.RunContinuationsAsynchronously);
    volatile bool _broken = true;
    int _failures;

    public Task FailedOnce => _failedOnce.Task;

    public int Failures => Volatile.Read(ref _failures);

    public void Heal() => _broken = false;

    public override void Emit(LogEvent logEvent)
    {
        if (_broken)
        {
            Interlocked.Increment(ref _failures);
            _failedOnce.TrySetResult();
            throw new IOException("No space left on device (injected)");
        }

        Record(logEvent);
    }
}
