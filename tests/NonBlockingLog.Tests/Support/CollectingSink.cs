using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Tests.Support;

/// <summary>Keeps every event it receives; counts disposals.</summary>
public sealed class CollectingSink : ILogEventSink, IDisposable
{
    readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => _events.ToArray();

    public IEnumerable<LogEvent> CallerEvents => Events.Where(e => !Some.IsDropNotice(e));

    public IEnumerable<LogEvent> DropNotices => Events.Where(Some.IsDropNotice);

    public int Disposals;

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    public void Dispose() => Interlocked.Increment(ref Disposals);
}
