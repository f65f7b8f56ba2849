namespace NonBlockingLog.Drills;

/// <summary>
/// Fault injection for drills (the sample's Development-only endpoints): a stalled write, a consumer crash, a
/// full disk, and healing. Costs the consumer two volatile reads per event when unused; callers nothing.
/// </summary>
internal sealed class FaultDrills
{
    readonly ManualResetEventSlim _stallGate = new(true);
    volatile bool _stallArmed;
    volatile bool _crashArmed;
    volatile bool _diskFull;

    /// <summary>The next write blocks until <see cref="Heal"/>: a hung disk. The consumer stalls and is replaced.</summary>
    public void InjectStall()
    {
        _stallGate.Reset();
        _stallArmed = true;
    }

    /// <summary>The next batch crashes the consumer outside the per-event handling.</summary>
    public void InjectCrash() => _crashArmed = true;

    /// <summary>Every write fails with an IOException until <see cref="Heal"/>.</summary>
    public void InjectDiskFull() => _diskFull = true;

    public void Heal()
    {
        _diskFull = false;
        _crashArmed = false;
        _stallArmed = false;
        _stallGate.Set();
    }

    public void Run(FaultDrill drill)
    {
        switch (drill)
        {
            case FaultDrill.Stall: InjectStall(); break;
            case FaultDrill.Crash: InjectCrash(); break;
            case FaultDrill.DiskFull: InjectDiskFull(); break;
            default: Heal(); break;
        }
    }

    public void BeforeBatch()
    {
        if (!_crashArmed) return;
        _crashArmed = false;
        throw new InvalidOperationException("Fault drill: consumer crash.");
    }

    public void BeforeWrite()
    {
        if (_diskFull) throw new IOException("Fault drill: no space left on device.");
        if (!_stallArmed) return;
        _stallArmed = false;
        _stallGate.Wait();
    }
}
