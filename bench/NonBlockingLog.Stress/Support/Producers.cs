using System.Diagnostics;
using NonBlockingLog.Bench.Latency;

namespace NonBlockingLog.Stress.Support;

/// <summary>
/// Producer threads that call the logger in a loop, as request threads would, and time every call with
/// Stopwatch.GetTimestamp into a histogram of their own. Full speed unless a <see cref="Pace"/> is given.
/// The emitted count is exact once <see cref="Stop"/> has returned.
/// </summary>
internal sealed class Producers
{
    readonly Serilog.ILogger _log;
    readonly Pace? _pace;
    readonly Worker[] _workers;
    volatile bool _stop;

    public Producers(Serilog.ILogger log, int threads, Pace? pace = null)
    {
        _log = log;
        _pace = pace;
        _workers = new Worker[threads];
        for (var i = 0; i < threads; i++) _workers[i] = new Worker(this, i);
    }

    /// <summary>Events emitted so far: exact after <see cref="Stop"/>, a lower bound before.</summary>
    public long Emitted
    {
        get
        {
            long sum = 0;
            foreach (var worker in _workers) sum += Volatile.Read(ref worker.Emitted);
            return sum;
        }
    }

    public void Start()
    {
        foreach (var worker in _workers) worker.Thread.Start();
    }

    /// <summary>Stops the producers, waits for each to leave its log call, and returns their merged latencies.</summary>
    public LatencyHistogram Stop()
    {
        _stop = true;
        var merged = new LatencyHistogram();
        foreach (var worker in _workers)
        {
            worker.Thread.Join();
            merged.Add(worker.Latency);
        }

        return merged;
    }

    sealed class Worker
    {
        readonly Producers _owner;
        readonly int _index;
        public readonly LatencyHistogram Latency = new();
        public readonly Thread Thread;
        public long Emitted;

        public Worker(Producers owner, int index)
        {
            _owner = owner;
            _index = index;
            Thread = new Thread(Run) { IsBackground = true, Name = $"stress producer {index}" };
        }

        void Run()
        {
            var log = _owner._log;
            var pace = _owner._pace;
            var nextBurst = Stopwatch.GetTimestamp();
            long seq = 0;
            while (!_owner._stop)
            {
                // At full speed the burst is only how often the pacing code is skipped; the stop flag is read per call.
                var burst = pace?.EventsPerBurst ?? 1024;
                for (var i = 0; i < burst && !_owner._stop; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    StressEvent.Write(log, seq, _index);
                    Latency.Record(start, Stopwatch.GetTimestamp() - start);
                    seq++;
                    Volatile.Write(ref Emitted, seq);
                }

                if (pace is null) continue;
                nextBurst += (long)(pace.Interval.TotalSeconds * Stopwatch.Frequency);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), nextBurst);
                if (wait > TimeSpan.Zero) Thread.Sleep(wait);
            }
        }
    }
}

/// <summary>Bursts of <see cref="EventsPerBurst"/> events per producer every <see cref="Interval"/>: a paced, bursty load.</summary>
internal sealed record Pace(int EventsPerBurst, TimeSpan Interval);
