using System.Globalization;
using NonBlockingLog.SteadyState.Contenders;

namespace NonBlockingLog.SteadyState;

/// <summary>The command line: <c>[--rounds 3] [--warmup N] [--events N] [--producers 2] [--contender names] [--folder path] [--quick]</c>.</summary>
internal sealed record SteadyStateOptions
{
    public int Rounds { get; private init; } = 3;
    public int WarmupEvents { get; private init; } = 1_000_000;
    public int TimedEvents { get; private init; } = 4_000_000;
    public int Producers { get; private init; } = 2;
    public IReadOnlyList<ContenderKind> Contenders { get; private init; } = ContenderKind.All;
    public string Folder { get; init; } = Path.GetTempPath();

    /// <summary>The collector each run's process uses: <c>workstation</c> (console apps, worker services) or <c>server</c> (ASP.NET Core's default).</summary>
    public IReadOnlyList<GcMode> GcModes { get; private init; } = [GcMode.Workstation];

    /// <summary>Set in a run's own process: the one contender and round it runs (see <see cref="IsolatedRun"/>).</summary>
    public (ContenderKind Kind, int Round)? Single { get; private init; }

    public bool Help { get; private init; }

    public static string Usage => $"""
        NonBlockingLog.SteadyState: each contender, as a long-running service would run it, writing the benchmarks'
        workload to a file with no loss: producer threads log a warm-up, then the timed events, without disposing in
        between; rounds alternate the contenders' order. Progress on stderr; a Markdown table of medians on stdout.

          dotnet run -c Release --project bench/NonBlockingLog.SteadyState -- [options]

          --rounds <n>          runs of each contender (default 3)
          --warmup <n>          events logged before timing, per run (default 1,000,000)
          --events <n>          events timed, per run (default 4,000,000)
          --producers <n>       producer threads (default 2)
          --contender <names>   only these, comma-separated: {string.Join(", ", ContenderKind.All.Select(c => c.Name))}
          --folder <path>       where the log files go, one at a time, ~75 bytes an event (~150 as CLEF) (default the temp folder)
          --gc <mode>           the collector of each run's process: workstation (default), server, or both
          --quick               a smoke run: 1 round, 20,000 warm-up and 100,000 timed events
        """;

    public static SteadyStateOptions Parse(string[] args)
    {
        int? rounds = null, warmup = null, events = null;
        var producers = 2;
        var quick = false;
        var help = false;
        var folder = Path.GetTempPath();
        IReadOnlyList<GcMode> gcModes = [GcMode.Workstation];
        (ContenderKind, int)? single = null;
        IReadOnlyList<ContenderKind> contenders = ContenderKind.All;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--rounds": rounds = Positive("--rounds", Value()); break;
                case "--warmup": warmup = Positive("--warmup", Value(), allowZero: true); break;
                case "--events": events = Positive("--events", Value()); break;
                case "--producers": producers = Positive("--producers", Value()); break;
                case "--contender": contenders = Select(Value()); break;
                case "--folder": folder = Value(); break;
                case "--gc": gcModes = ParseGcModes(Value()); break;
                case "--single": single = (Select(Value()) is [var kind] ? kind : throw new ArgumentException("--single takes one contender."), Positive("--single", Value())); break;
                case "--quick": quick = true; break;
                case "-h" or "--help": help = true; break;
                default: throw new ArgumentException($"unknown argument {args[i]}.");
            }
        }

        var options = new SteadyStateOptions
        {
            Rounds = rounds ?? (quick ? 1 : 3),
            WarmupEvents = warmup ?? (quick ? 20_000 : 1_000_000),
            TimedEvents = events ?? (quick ? 100_000 : 4_000_000),
            Producers = producers,
            Contenders = contenders,
            Folder = folder,
            GcModes = gcModes,
            Single = single,
            Help = help,
        };
        if ((long)options.WarmupEvents + options.TimedEvents > int.MaxValue)
            throw new ArgumentException($"--warmup plus --events must be at most {int.MaxValue:N0} (request ids are ints).");
        if (options.TimedEvents < options.Producers)
            throw new ArgumentException("--events must be at least --producers.");
        return options;
    }

    static int Positive(string name, string text, bool allowZero = false)
    {
        if (!int.TryParse(text.Replace(",", "").Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < (allowZero ? 0 : 1))
            throw new ArgumentException($"{name} must be a whole number of at least {(allowZero ? 0 : 1)}, not \"{text}\".");
        return value;
    }

    static IReadOnlyList<GcMode> ParseGcModes(string text) => text.ToLowerInvariant() switch
    {
        "workstation" => [GcMode.Workstation],
        "server" => [GcMode.Server],
        "both" => [GcMode.Workstation, GcMode.Server],
        _ => throw new ArgumentException($"--gc must be workstation, server or both, not \"{text}\"."),
    };

    static IReadOnlyList<ContenderKind> Select(string names)
    {
        var wanted = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = wanted.Where(w => ContenderKind.All.All(c => !c.Name.Equals(w, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"unknown contender {string.Join(", ", unknown)}; the contenders are {string.Join(", ", ContenderKind.All.Select(c => c.Name))}.");
        return [.. ContenderKind.All.Where(c => wanted.Any(w => c.Name.Equals(w, StringComparison.OrdinalIgnoreCase)))];
    }
}
