namespace NonBlockingLog.SteadyState;

/// <summary>What one run of one contender measured over its timed phase, or why it failed.</summary>
internal sealed record RunResult(string Contender, int Round)
{
    /// <summary>The collector the run's process used.</summary>
    public GcMode Gc { get; init; }

    public double EventsPerSecond { get; init; }

    /// <summary>Processor time of the whole process (callers, background writers, collector) per timed event.</summary>
    public double CpuNanosecondsPerEvent { get; init; }

    /// <summary>The producer threads' own processor time per timed event: what the callers paid, waiting included.</summary>
    public double ProducerCpuNanosecondsPerEvent { get; init; }

    /// <summary>Processor time per timed event of each thread alive across the timed phase, by name (see <see cref="ThreadCpu"/>).</summary>
    public Dictionary<string, double> ThreadCpuNanosecondsPerEvent { get; init; } = [];

    public double AllocatedBytesPerEvent { get; init; }

    /// <summary>Time the runtime paused the process for collections (GC.GetTotalPauseDuration) per timed event.</summary>
    public double GcPauseNanosecondsPerEvent { get; init; }

    /// <summary>Collections of generation 1 or 2 in the timed phase: how many queued events survived long enough to be promoted.</summary>
    public int OlderCollections { get; init; }

    public long PeakWorkingSet { get; init; }

    /// <summary>Lines the file held after disposal, each checked.</summary>
    public long VerifiedLines { get; init; }

    public string? Failure { get; init; }
}
