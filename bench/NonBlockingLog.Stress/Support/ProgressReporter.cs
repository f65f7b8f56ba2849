using System.Diagnostics;
using NonBlockingLog.Bench.Reporting;

namespace NonBlockingLog.Stress.Support;

/// <summary>
/// Live progress on stderr about once a second, and, every 100 ms, samples of what must stay bounded under
/// load: the working set and the queue depth. Runs on its own thread so that it keeps reporting while the
/// scenario's thread waits on something.
/// </summary>
internal sealed class ProgressReporter : IDisposable
{
    static readonly TimeSpan SamplePeriod = TimeSpan.FromMilliseconds(100);
    const int SamplesPerLine = 10;

    readonly string _scenario;
    readonly Func<long> _emitted;
    readonly INonBlockingLogInspector? _sink;
    readonly Func<string>? _extra;
    readonly Thread _thread;
    readonly ManualResetEventSlim _stop = new(false);
    readonly long _started = Stopwatch.GetTimestamp();

    public ProgressReporter(string scenario, Func<long> emitted, INonBlockingLogInspector? sink, Func<string>? extra = null)
    {
        _scenario = scenario;
        _emitted = emitted;
        _sink = sink;
        _extra = extra;
        StartWorkingSet = Environment.WorkingSet;
        PeakWorkingSet = StartWorkingSet;
        _thread = new Thread(Run) { IsBackground = true, Name = "stress progress" };
        _thread.Start();
    }

    public long StartWorkingSet { get; }

    /// <summary>The largest working set sampled while this reporter ran.</summary>
    public long PeakWorkingSet { get; private set; }

    /// <summary>The deepest queue sampled while this reporter ran.</summary>
    public long PeakQueueDepth { get; private set; }

    void Run()
    {
        var sample = 0;
        while (!_stop.Wait(SamplePeriod))
        {
            PeakWorkingSet = Math.Max(PeakWorkingSet, Environment.WorkingSet);
            var snapshot = _sink?.GetSnapshot();
            if (snapshot is not null) PeakQueueDepth = Math.Max(PeakQueueDepth, snapshot.QueueDepth);
            if (++sample % SamplesPerLine == 0) Print(snapshot);
        }
    }

    void Print(NonBlockingLogSnapshot? s)
    {
        var line = $"  [{_scenario} {Stopwatch.GetElapsedTime(_started).TotalSeconds,5:0.0}s] emitted {Format.Count(_emitted())}";
        if (s is not null)
        {
            line += $", written {Format.Count(s.Written)}, dropped {Format.Count(s.Dropped)}, pending {Format.Count(s.Pending)}, " +
                    $"{s.State}/{s.Phase}, restarts {s.ConsumerRestarts}, stalls {s.Stalls}";
        }

        line += $", working set {Format.Megabytes(Environment.WorkingSet)}";
        if (_extra is not null) line += ", " + _extra();
        Console.Error.WriteLine(line);
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
    }
}
