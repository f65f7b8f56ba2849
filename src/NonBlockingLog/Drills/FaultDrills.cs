using Serilog.Events;

namespace NonBlockingLog.Drills;

/// <summary>
/// Faults injected into a sink's consumer: the drills (<see cref="FaultDrill"/>: a stalled write, a consumer
/// crash, a full disk, healing), and a test hook that runs before each batch. Costs the consumer two volatile
/// reads per event when unused; callers nothing.
/// </summary>
internal sealed class FaultDrills(Action<LogEvent>? beforeBatch = null)
{
    readonly ManualResetEventSlim _stallGate = new(true);
    volatile bool _stallArmed;
    volatile bool _crashArmed;
    volatile bool _diskFull;

    public void Run(FaultDrill drill)
    {
        switch (drill)
        {
            case FaultDrill.Stall:
                _stallGate.Reset();
                _stallArmed = true;
                break;
            case FaultDrill.Crash:
                _crashArmed = true;
                break;
            case FaultDrill.DiskFull:
                _diskFull = true;
                break;
            default:
                _diskFull = false;
                _crashArmed = false;
                _stallArmed = false;
                _stallGate.Set();
                break;
        }
    }

    /// <summary>Consumer, before each batch, outside the per-event handling: a throw here crashes the consumer.</summary>
    public void BeforeBatch(LogEvent first)
    {
        beforeBatch?.Invoke(first);
        if (!_crashArmed) return;
        _crashArmed = false;
        throw new InvalidOperationException("Fault drill: consumer crash.");
    }

    /// <summary>Consumer, before each write: a full disk throws, a stall blocks until healed.</summary>
    public void BeforeWrite()
    {
        if (_diskFull) throw new IOException("Fault drill: no space left on device.");
        if (!_stallArmed) return;
        _stallArmed = false;
        _stallGate.Wait();
    }
}
