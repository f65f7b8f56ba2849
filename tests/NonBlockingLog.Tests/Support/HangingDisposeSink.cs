using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Tests.Support;

/// <summary>
/// A destination whose Dispose hangs until <see cref="ReleaseDispose"/> (a hung share, a collector that never
/// answers). <see cref="DisposeEntered"/> completes when Dispose is inside, so a test knows the disposal is hung
/// without sleeping.
/// </summary>
public sealed class HangingDisposeSink : ILogEventSink, IDisposable
{
    readonly ManualResetEventSlim _release = new(false);
    readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task DisposeEntered => _entered.Task;

    public void Emit(LogEvent logEvent)
    {
    }

    public void ReleaseDispose() => _release.Set();

    public void Dispose()
    {
        _entered.TrySetResult();
        _release.Wait();
    }
}
