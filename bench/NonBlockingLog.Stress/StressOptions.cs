using System.Globalization;

namespace NonBlockingLog.Stress;

/// <summary>The command line: <c>[--duration 10s] [--scenario name[,name]] [--quick] [--keep]</c>, or <c>--child path</c>.</summary>
internal sealed class StressOptions
{
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan QuickDuration = TimeSpan.FromSeconds(3);

    /// <summary>How long each scenario keeps its producers running (some take a little longer: a recovery must finish).</summary>
    public TimeSpan Duration { get; private init; } = DefaultDuration;

    public bool Quick { get; private init; }

    /// <summary>Scenario names to run; empty for all.</summary>
    public IReadOnlyList<string> Scenarios { get; private init; } = [];

    /// <summary>Keep the scratch directory (log files, SelfLog) for inspection.</summary>
    public bool Keep { get; private init; }

    /// <summary>Set in the child process of the SIGKILL scenario: the file to log to.</summary>
    public string? ChildPath { get; private init; }

    public bool Help { get; private init; }

    public const string Usage = """
        NonBlockingLog.Stress: runs the sink's reliability scenarios under load; live progress on stderr,
        a Markdown table on stdout; exits 1 if any scenario loses track of an event or fails its checks.

          dotnet run -c Release --project bench/NonBlockingLog.Stress -- [options]

          --duration <time>     how long each scenario runs its load, e.g. 10s, 1500ms, 1m (default 10s)
          --scenario <names>    run only these, comma-separated: overload, hung-sink, throwing-sink,
                                consumer-crash, disk-full, sigkill, shutdown, flood
          --quick               about 30 s in all (--duration 3s, fewer crashes)
          --keep                keep the scratch directory (log files, SelfLog) and print its path
        """;

    public static StressOptions Parse(string[] args)
    {
        TimeSpan? duration = null;
        var quick = false;
        var keep = false;
        var help = false;
        string? child = null;
        var scenarios = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--duration": duration = ParseDuration(Value()); break;
                case "--scenario": scenarios.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
                case "--quick": quick = true; break;
                case "--keep": keep = true; break;
                case "--child": child = Value(); break;
                case "-h" or "--help": help = true; break;
                default: throw new ArgumentException($"unknown argument {args[i]}.");
            }
        }

        return new StressOptions
        {
            Duration = duration ?? (quick ? QuickDuration : DefaultDuration),
            Quick = quick,
            Keep = keep,
            Scenarios = scenarios,
            ChildPath = child,
            Help = help,
        };
    }

    static TimeSpan ParseDuration(string text)
    {
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0 || value * unit > 3600)
            throw new ArgumentException($"--duration must be a positive time of at most an hour, such as 10s or 1500ms, not \"{text}\".");
        return TimeSpan.FromSeconds(value * unit);
    }
}
