using NonBlockingLog.Stress.Support;

namespace NonBlockingLog.Stress.Scenarios;

/// <summary>What every scenario gets from the harness.</summary>
internal sealed class ScenarioContext
{
    public required StressOptions Options { get; init; }
    public required ScratchDirectory Scratch { get; init; }

    /// <summary>How long to keep producers running.</summary>
    public TimeSpan Duration => Options.Duration;

    /// <summary>As many producer threads as cores: the callers saturate the machine, as under real overload.</summary>
    public int ProducerThreads => Math.Max(2, Environment.ProcessorCount);

    public static void Say(string line) => Console.Error.WriteLine(line);
}
