namespace NonBlockingLog.SteadyState;

/// <summary>What one run of one contender measured over its timed phase, or why it failed.</summary>
internal sealed record RunResult(string Contender, int Round)
{
    public double EventsPerSecond { get; init; }

    /// <summary>Processor time of the whole process (callers, background writers, collector) per timed event.</summary>
    public double CpuNanosecondsPerEvent { get; init; }

    public double AllocatedBytesPerEvent { get; init; }

    public long PeakWorkingSet { get; init; }

    /// <summary>Lines the file held after disposal, each checked.</summary>
    public long VerifiedLines { get; init; }

    public string? Failure { get; init; }
}
