using Serilog.Events;

namespace NonBlockingLog.Tests.Support;

/// <summary>
/// Throws on the given call numbers (1-based), like sinks-file's FailOpeningHook; keeps the rest. The sink's
/// own drop notices pass through uncounted, so call N is always the caller's N-th event.
/// </summary>
public sealed class ThrowingSink(params int[] failOnCalls) : RecordingSink
{
    readonly HashSet<int> _failOn = [.. failOnCalls];
    int _calls;

    public bool FailAlways { get; init; }

    public override void Emit(LogEvent logEvent)
    {
        if (Some.IsDropNotice(logEvent) && !FailAlways)
        {
            Record(logEvent);
            return;
        }

        var call = Interlocked.Increment(ref _calls);
        if (FailAlways || _failOn.Contains(call)) throw new InvalidOperationException($"Injected failure on call {call}.");
        Record(logEvent);
    }
}
