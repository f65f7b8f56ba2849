using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using NonBlockingLog.Sample;
using Serilog;
using Serilog.Debugging;

var builder = WebApplication.CreateBuilder(args);

// Serilog.Settings.Configuration passes "path" to the sink exactly as written, and a relative path is then
// resolved against the process's current directory, which is wherever the app happened to be started from.
// Make it the content root instead: the folder appsettings.json was read from (the project folder under
// `dotnet run`, or whatever --contentRoot says), so "logs/sample-.log" always lands in <content root>/logs,
// next to the configuration that asked for it.
Directory.SetCurrentDirectory(builder.Environment.ContentRootPath);

// Sinks report their own failures (an unwritable path, a sink that throws, a stall) through SelfLog, which is
// off by default; without this line such problems are silent.
SelfLog.Enable(Console.Error);

// All of the logging pipeline comes from the "Serilog" section of appsettings.json. "Using" names the
// NonBlockingLog assembly, since Serilog.Settings.Configuration only finds assemblies with "Serilog" in their
// name on its own (which is how it finds Serilog.Sinks.Console).
var logger = new LoggerConfiguration()
    .ReadFrom.Configuration(builder.Configuration)
    .CreateLogger();

try
{
    // Route Microsoft.Extensions.Logging (ILogger<T>, and ASP.NET Core's own logs) into Serilog only.
    builder.Logging.ClearProviders();
    builder.Logging.AddSerilog(logger);

    // Checks the NonBlockingLog sinks in appsettings.json, and applies fullMode, waitTimeout and
    // reservedForWarnings edited there to the running sinks.
    builder.Services.AddNonBlockingLog(builder.Configuration);

    // Checks the sinks this app configured by name. A service with one logger can leave `sinks` out (every sink
    // in the process); the sample names its own because its tests host several copies of it in one process.
    var health = builder.Configuration.GetSection("LoggingHealth");
    builder.Services.AddHealthChecks().AddNonBlockingLog(
        sinks: ConfiguredSinks.Names(builder.Configuration),
        progressTimeout: health.GetValue<TimeSpan?>("ProgressTimeout"),
        recentWindow: health.GetValue<TimeSpan?>("RecentWindow"));

    var app = builder.Build();

    // Once the host has stopped (the server no longer takes requests), the sinks drain within shutdownTimeout.
    app.Lifetime.ApplicationStopped.Register(logger.Dispose);

    app.UseMiddleware<RequestLoggingMiddleware>();

    app.MapGet("/", () => "NonBlockingLog sample. Try /hello/{name}, /health and /diagnostics/logging.");

    app.MapGet("/hello/{name}", (string name, ILogger<Program> logger) =>
    {
        logger.LogInformation("Saying hello to {Name}", name);
        return $"Hello, {name}!";
    });

    // 200 when Healthy or Degraded, 503 when Unhealthy; the body says which sink and why.
    app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });
    app.MapNonBlockingLogDiagnostics("/diagnostics/logging");

    // POST /drills/{sink}/stall | crash | disk-full | heal: break a sink on purpose and watch it recover.
    if (app.Environment.IsDevelopment()) app.MapNonBlockingLogFaultDrills("/drills");

    app.Run();
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    logger.Fatal(ex, "The sample stopped because of an unhandled exception");
    throw;
}
finally
{
    // ApplicationStopped disposes the logger when the host stops; this covers the paths where the host never
    // started (a failure before or during Build). Disposing again is harmless: the sinks are already stopped.
    await logger.DisposeAsync();
}

/// <summary>The sample's entry point; public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;
