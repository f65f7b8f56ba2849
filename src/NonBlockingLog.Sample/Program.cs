using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using NonBlockingLog.Sample;
using OpenTelemetry.Metrics;
using Serilog;
using Serilog.Debugging;

// Sinks report their own failures (an unwritable path, a sink that throws, a stall) through SelfLog, which is
// off by default; without this line such problems are silent.
SelfLog.Enable(Console.Error);

// Stage one: a logger for start-up, so that a failure before the configuration is read is still logged.
// AddSerilog below reconfigures it from appsettings.json; the NonBlocking sink here then drains and is disposed.
Log.Logger = new LoggerConfiguration()
    .WriteTo.NonBlocking(to => to.Console(), name: "bootstrap")
    .CreateBootstrapLogger();

try
{
    var builder = WebApplication.CreateBuilder(args);

    // Serilog.Settings.Configuration passes "path" to the sink as written, and a relative path is resolved against
    // the current directory, which is wherever the app happened to be started from. Make it the content root (the
    // folder appsettings.json is read from: the project folder under `dotnet run`, or whatever --contentRoot
    // says), so that "logs/sample-.log" always lands in <content root>/logs, beside the configuration.
    Directory.SetCurrentDirectory(builder.Environment.ContentRootPath);

    // Stage two: the whole pipeline from the "Serilog" section of appsettings.json ("Using" names the NonBlockingLog
    // assembly: Serilog.Settings.Configuration finds only assemblies with "Serilog" in their name on its own).
    // ILogger<T> and ASP.NET Core's own logs go to it. Log.CloseAndFlush() in finally disposes it, which drains
    // each NonBlockingLog sink within its shutdownTimeout once the server has stopped.
    builder.Services.AddSerilog((services, lc) => lc
        .ReadFrom.Configuration(builder.Configuration)
        .ReadFrom.Services(services));

    // Checks the NonBlockingLog sinks in appsettings.json now, so that a misspelt key or a bad value stops the app
    // with a message naming it; and applies fullMode, waitTimeout, reservedForWarnings and floodLimit edited there
    // later to the running sinks.
    builder.Services.AddNonBlockingLog(builder.Configuration);

    // Checks the sinks named in LoggingHealth:Sinks (a named sink that is not running is Unhealthy); without that
    // key, every NonBlockingLog sink in the process.
    var health = builder.Configuration.GetSection("LoggingHealth");
    builder.Services.AddHealthChecks().AddNonBlockingLog(
        sinks: health.GetSection("Sinks").Get<string[]>(),
        progressTimeout: health.GetValue<TimeSpan?>("ProgressTimeout"),
        recentWindow: health.GetValue<TimeSpan?>("RecentWindow"));

    // The sinks' metrics, and Serilog's own, for a Prometheus scraper at /metrics. Batch durations are in seconds;
    // the SDK's default histogram buckets (0 to 10000) suit milliseconds, so they get buckets of their own.
    builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
        .AddMeter("NonBlockingLog", "Serilog")
        .AddView("nonblockinglog.batch.duration", new ExplicitBucketHistogramConfiguration
        {
            Boundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        })
        .AddPrometheusExporter());

    var app = builder.Build();

    // One line per request: method, path, status code and time taken.
    app.UseSerilogRequestLogging();

    // Endpoints marked RequireOperator() answer only requests addressed to localhost; outside Development, only
    // from this machine.
    app.Use(OperatorAccess.Enforce);

    app.MapGet("/", () => "NonBlockingLog sample. Try /hello/{name}, /health, /diagnostics/logging and /metrics.");

    app.MapGet("/hello/{name}", (string name, ILogger<Program> logger) =>
    {
        logger.LogInformation("Saying hello to {Name}", name);
        return $"Hello, {name}!";
    });

    // 200 when Healthy or Degraded, 503 when Unhealthy; operators also get which sink and why.
    app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = OperatorAccess.WriteHealth });
    app.MapNonBlockingLogDiagnostics("/diagnostics/logging").RequireOperator();
    app.MapPrometheusScrapingEndpoint("/metrics").RequireOperator();

    // POST /drills/{sink}/stall | crash | disk-full | heal: break a sink on purpose and watch it recover.
    if (app.Environment.IsDevelopment()) app.MapNonBlockingLogFaultDrills("/drills").RequireOperator();

    app.Run();
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    Log.Fatal(ex, "The sample stopped because of an unhandled exception");
    throw;
}
finally
{
    Log.CloseAndFlush();
}

/// <summary>The sample's entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;
