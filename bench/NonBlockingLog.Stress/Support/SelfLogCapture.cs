using Serilog.Debugging;

namespace NonBlockingLog.Stress.Support;

/// <summary>
/// Serilog's SelfLog, where the sink reports stalls, outages and failed writes, into a file in the scratch
/// directory. A throwing sink reports once per batch, so only the first lines of each scenario are kept; the
/// rest are counted.
/// </summary>
internal sealed class SelfLogCapture : IDisposable
{
    const int KeptPerScenario = 200;

    readonly object _lock = new();
    readonly StreamWriter _file;
    int _keptThisScenario;
    long _seenThisScenario;

    public SelfLogCapture(string path)
    {
        _file = new StreamWriter(path, append: false) { AutoFlush = true };
        SelfLog.Enable(Write);
    }

    /// <summary>Starts counting, and keeping the first lines, for a new scenario.</summary>
    public void BeginScenario(string name)
    {
        lock (_lock)
        {
            _seenThisScenario = 0;
            _keptThisScenario = 0;
            _file.WriteLine($"==== {name}");
        }
    }

    public long SeenThisScenario
    {
        get
        {
            lock (_lock) return _seenThisScenario;
        }
    }

    void Write(string message)
    {
        lock (_lock)
        {
            _seenThisScenario++;
            if (_keptThisScenario >= KeptPerScenario) return;
            _keptThisScenario++;
            _file.WriteLine(message);
        }
    }

    public void Dispose()
    {
        SelfLog.Disable();
        lock (_lock) _file.Dispose();
    }
}
