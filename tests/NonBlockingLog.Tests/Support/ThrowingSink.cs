using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Tests.Support;

/// <summary>
/// Throws on the given call numbers (1-based), like sinks-file's FailOpeningHook; keeps the rest. The sink's
/// own drop notices pass through uncounted, so call N is always the caller's N-th event.
/// </summary>
public sealed class ThrowingSink(params int[] failOnCalls) : ILogEventSink
{
    readonly HashSet<int> _failOn = [.. failOnCalls];
    readonly ConcurrentQueue<LogEvent> _events = new();
    int _calls;

    public bool FailAlways { get; init; }

    public IReadOnlyList<LogEvent> Events => _events.ToArray();

    public IEnumerable<LogEvent> CallerEvents => Events.Where(e => !Some.IsDropNotice(e));

    public int Calls => Volatile.Read(ref _calls);

    public void Emit(LogEvent logEvent)
    {
        if (Some.IsDropNotice(logEvent) && !FailAlways)
        {
            _events.Enqueue(logEvent);
            return;
        }

        var call = Interlocked.Increment(ref _calls);
        if (FailAlways || _failOn.Contains(call)) throw new InvalidOperationException($"Injected failure on call {call}.");
        _events.Enqueue(logEvent);
    }
}
