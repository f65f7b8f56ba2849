using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Tests.Support;

/// <summary>
/// Blocks inside Emit until <see cref="Release"/>: a hung disk, a lock never released. <see cref="Entered"/>
/// completes when the first call is inside, so a test knows the consumer is stuck without sleeping.
/// </summary>
public sealed class GatedSink : ILogEventSink, IDisposable
{
    readonly ManualResetEventSlim _gate = new(false);
    readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly ConcurrentQueue<LogEvent> _events = new();

    public Task Entered => _entered.Task;

    public IReadOnlyList<LogEvent> Events => _events.ToArray();

    public IEnumerable<LogEvent> CallerEvents => Events.Where(e => !Some.IsDropNotice(e));

    public void Emit(LogEvent logEvent)
    {
        _entered.TrySetResult();
        _gate.Wait();
        _events.Enqueue(logEvent);
    }

    public void Release() => _gate.Set();

    public void Dispose() => _gate.Set();
}
