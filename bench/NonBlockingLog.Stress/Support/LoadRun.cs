using System.Diagnostics;
using NonBlockingLog.Bench.Latency;
using Serilog.Core;

namespace NonBlockingLog.Stress.Support;

/// <summary>
/// One scenario's load on one named sink, start to finish: the logger, the sink's inspector (found by name,
/// as an application would), the producers and the progress line. The usual ending is
/// <see cref="StopProducers"/>, then <see cref="Close"/>, then <see cref="Row"/> from the final snapshot.
/// </summary>
internal sealed class LoadRun : IDisposable
{
    bool _stopped;
    bool _closed;

    public LoadRun(string scenario, Logger logger, string sinkName, int producerThreads, Pace? pace = null, Func<string>? extra = null)
    {
        Scenario = scenario;
        Logger = logger;
        Sink = NonBlockingLogSinks.Find(sinkName) ?? throw new InvalidOperationException($"no NonBlockingLog sink named {sinkName}.");
        Producers = new Producers(logger, producerThreads, pace);
        Progress = new ProgressReporter(scenario, () => Producers.Emitted, Sink, extra);
        StartedAt = Stopwatch.GetTimestamp();
        Producers.Start();
    }

    public string Scenario { get; }

    public Logger Logger { get; }

    /// <summary>Kept from the start: after disposal the sink is no longer found by name, but still answers.</summary>
    public INonBlockingLogInspector Sink { get; }

    public Producers Producers { get; }

    public ProgressReporter Progress { get; }

    public long StartedAt { get; }

    public LatencyHistogram? Latency { get; private set; }

    public LatencyHistogram StopProducers()
    {
        if (!_stopped) Latency = Producers.Stop();
        _stopped = true;
        return Latency!;
    }

    /// <summary>
    /// Lets the queue drain (up to <paramref name="drainTimeout"/>), then disposes the logger, which drains
    /// and flushes what is left within the sink's shutdownTimeout. Returns how long disposal took.
    /// </summary>
    public TimeSpan Close(TimeSpan drainTimeout)
    {
        StopProducers();
        Poll.Until(() => Sink.GetSnapshot().Pending == 0, drainTimeout);
        return DisposeLogger();
    }

    /// <summary>Disposes the logger now, whether or not the producers still run; returns how long it took.</summary>
    public TimeSpan DisposeLogger()
    {
        var started = Stopwatch.GetTimestamp();
        Logger.Dispose();
        _closed = true;
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>The accounting row from the sink's snapshot now (final once closed) and the producers' exact count.</summary>
    public ScenarioRow Row() => ScenarioRow.FromSnapshot(Scenario, Producers.Emitted, Sink.GetSnapshot(), Latency);

    public void Dispose()
    {
        StopProducers();
        if (!_closed) Logger.Dispose();
        _closed = true;
        Progress.Dispose();
    }
}
