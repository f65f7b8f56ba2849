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

// Sinks report their own failures (an unwritable path, a sink that throws) through SelfLog, which is off by
// default; without this line such problems are silent.
SelfLog.Enable(Console.Error);

// All of the logging pipeline comes from the "Serilog" section of appsettings.json. "Using" names the
// NonBlockingLog assembly, since Serilog.Settings.Configuration only finds assemblies with "Serilog" in their
// name on its own (which is how it finds Serilog.Sinks.Console).
Log.Logger = new LoggerConfiguration()
    .ReadFrom.Configuration(builder.Configuration)
    .CreateLogger();

try
{
    // Route Microsoft.Extensions.Logging (ILogger<T>, and ASP.NET Core's own logs) into Serilog only.
    // dispose: true makes the host dispose the logger, draining the NonBlocking queues, when it shuts down.
    builder.Logging.ClearProviders();
    builder.Logging.AddSerilog(Log.Logger, dispose: true);

    var app = builder.Build();

    app.UseMiddleware<RequestLoggingMiddleware>();

    app.MapGet("/", () => "NonBlockingLog sample. Try /hello/{name}.");

    app.MapGet("/hello/{name}", (string name, ILogger<Program> logger) =>
    {
        logger.LogInformation("Saying hello to {Name}", name);
        return $"Hello, {name}!";
    });

    app.Run();
}
catch (Exception ex)
{
    Log.Fatal(ex, "The sample stopped because of an unhandled exception");
    throw;
}
finally
{
    // Covers the paths where the host never got to dispose the logger (a failure before or during Build).
    // Disposing a second time is harmless: the sinks are already drained and stopped.
    Log.CloseAndFlush();
}
