using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Bench.Sinks;

/// <summary>
/// Serilog 4's built-in batching (<c>WriteTo.Sink(IBatchedLogEventSink, BatchingOptions)</c>) in front of an
/// ordinary sink: each batch's events are emitted to <paramref name="target"/> in order, on the batching loop.
/// <see cref="Written"/> counts them, because the batching sink itself counts nothing, not even what it drops when
/// its queue is full: after disposal (which drains its queue) the events offered minus Written are its drops.
/// </summary>
public sealed class BatchedSink(ILogEventSink target) : IBatchedLogEventSink, IDisposable
{
    long _written;

    /// <summary>Events handed to the target so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        foreach (var logEvent in batch) target.Emit(logEvent);
        Interlocked.Add(ref _written, batch.Count);
        return Task.CompletedTask;
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    // The batching sink disposes this once, after its loop has ended; the target goes with it.
    public void Dispose() => (target as IDisposable)?.Dispose();
}
