using System.Diagnostics;
using NonBlockingLog.Bench.Reporting;
using NonBlockingLog.Stress;
using NonBlockingLog.Stress.Scenarios;
using NonBlockingLog.Stress.Support;

if (CommandLine.Parse(args, StressOptions.Parse, o => o.Help, StressOptions.Usage, out var exitCode) is not { } options) return exitCode;

if (options.ChildPath is { } childPath) return SigkillChild.Run(childPath);

// In the order of the table: overload first, so that the process's peak working set is its own.
IScenario[] all =
[
    new OverloadScenario(),
    new HungSinkScenario(),
    new ThrowingSinkScenario(),
    new ConsumerCrashScenario(),
    new DiskFullScenario(),
    new SigkillScenario(),
    new ShutdownScenario(),
    new FloodScenario(),
];

var unknown = options.Scenarios.Where(name => all.All(s => s.Name != name)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"unknown scenario {string.Join(", ", unknown)}; the scenarios are {string.Join(", ", all.Select(s => s.Name))}.");
    return 2;
}

var selected = options.Scenarios.Count == 0 ? all : all.Where(s => options.Scenarios.Contains(s.Name)).ToArray();
using var scratch = ScratchDirectory.Create(options.Keep);
using var selfLog = new SelfLogCapture(Path.Combine(scratch.Path, "selflog.txt"));
var context = new ScenarioContext { Options = options, Scratch = scratch };
var rows = new List<ScenarioRow>();
var runStarted = Stopwatch.GetTimestamp();

ScenarioContext.Say($"NonBlockingLog.Stress: {selected.Length} scenarios, {Format.Duration(options.Duration)} of load each, " +
                    $"{Environment.ProcessorCount} cores, scratch {scratch.Path}");
foreach (var scenario in selected)
{
    ScenarioContext.Say($"== {scenario.Name}: {scenario.Description}");
    selfLog.BeginScenario(scenario.Name);
    var started = Stopwatch.GetTimestamp();
    IReadOnlyList<ScenarioRow> produced;
    try
    {
        produced = scenario.Run(context);
    }
    catch (Exception ex)
    {
        Console.Error.WriteLine(ex);
        produced = [ScenarioRow.Crashed(scenario.Name, ex)];
    }

    rows.AddRange(produced);
    foreach (var row in produced)
        ScenarioContext.Say($"   {row.Scenario}: {(row.Passed ? "pass" : "FAIL")}{(row.Skipped is { } why ? $" (skipped: {why})" : "")}");
    ScenarioContext.Say($"   took {Format.Duration(Stopwatch.GetElapsedTime(started))}; SelfLog lines {Format.Count(selfLog.SeenThisScenario)}");
}

var failed = rows.Count(r => !r.Passed);
Console.Out.WriteLine($"## NonBlockingLog stress: {Environment.ProcessorCount} cores, {Format.Duration(options.Duration)} of load per scenario, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.Out.WriteLine();
ResultTable.Write(Console.Out, rows);
Console.Out.WriteLine();
Console.Out.WriteLine("unaccounted = emitted − written − dropped − pending, from the sink's final snapshot after disposal; it must be 0. " +
                      "Caller latency is each log call's duration (Stopwatch), p99 from HdrHistogram, rounded up to 0.1%. Figures are from a shared 2-core machine and noisy.");
ScenarioContext.Say($"done in {Format.Duration(Stopwatch.GetElapsedTime(runStarted))}: {rows.Count - failed} of {rows.Count} rows pass" +
                    (options.Keep ? $"; files kept in {scratch.Path} (SelfLog in selflog.txt)" : ""));
return failed == 0 ? 0 : 1;
