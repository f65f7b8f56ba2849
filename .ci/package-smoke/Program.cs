using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NonBlockingLog;
using Serilog;

// Usage: PackageSmoke <log file> <event count>. Exits 0 when the file holds exactly the events logged.
var path = args[0];
var count = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);

// The count stays below the default capacity, so no event may be dropped, whatever the machine's load.
Log.Logger = new LoggerConfiguration()
    .WriteTo.NonBlockingFile(path, outputTemplate: "{Message:lj}{NewLine}", shutdownTimeout: TimeSpan.FromSeconds(30), name: "smoke")
    .CreateLogger();

// NonBlockingLog.AspNetCore, from its own package, judging the sink from NonBlockingLog's package.
await using var services = new ServiceCollection().AddLogging().AddHealthChecks().AddNonBlockingLog(sinks: ["smoke"]).Services.BuildServiceProvider();
var health = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

for (var i = 0; i < count; i++) Log.Information("event {Index}", i);
await Log.CloseAndFlushAsync();

var expected = Enumerable.Range(0, count).Select(i => $"event {i}").ToArray();
var actual = File.ReadAllLines(path);
var problems = new List<string>();
var same = 0;
while (same < actual.Length && same < expected.Length && actual[same] == expected[same]) same++;
if (same < actual.Length || same < expected.Length)
{
    problems.Add($"{path} holds {actual.Length} lines, expected {count}; they differ from line {same + 1}");
}

if (health.Status != HealthStatus.Healthy)
{
    problems.Add($"the NonBlockingLog health check reported {health.Status}: {health.Entries.Values.FirstOrDefault().Description}");
}

foreach (var problem in problems) Console.Error.WriteLine("package smoke: " + problem);
if (problems.Count == 0) Console.WriteLine($"package smoke: {count} events written and read back; health check {health.Status}");
return problems.Count == 0 ? 0 : 1;
