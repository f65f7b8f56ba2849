using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Tests.Support;

/// <summary>
/// What every test destination keeps: the events it took, in order, told apart into the callers' events and the
/// sink's own drop notices. A subclass decides when an event counts as taken, and calls <see cref="Record"/>.
/// </summary>
public abstract class RecordingSink : ILogEventSink
{
    readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => _events.ToArray();

    public IEnumerable<LogEvent> CallerEvents => Events.Where(e => !Some.IsDropNotice(e));

    /// <summary>The numbers of the callers' <see cref="Some.Event"/>s, in the order they were taken.</summary>
    public IEnumerable<int> CallerNumbers => CallerEvents.Select(Some.NumberOf);

    public IEnumerable<LogEvent> DropNotices => Events.Where(Some.IsDropNotice);

    public abstract void Emit(LogEvent logEvent);

    protected void Record(LogEvent logEvent) => _events.Enqueue(logEvent);
}
