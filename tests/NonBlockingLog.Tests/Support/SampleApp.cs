using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NonBlockingLog.Accounting;
using NonBlockingLog.Drills;
using NonBlockingLog.Supervision;

namespace NonBlockingLog.Tests.Support;

/// <summary>
/// The sample app hosted in process, with a content root of its own: the sample's appsettings.json (copied
/// into the test output by the project reference) with unique sink names and an absolute log folder, plus the
/// test's edits. A content root, not UseSetting: WebApplicationFactory passes settings as command-line
/// arguments, with an empty value for every parent key, and Serilog.Settings.Configuration reads an empty
/// "Serilog:WriteTo:File" as a sink named "".
/// </summary>
/// <remarks>
/// The sample runs its real entry point on a thread of its own, and sets and finally closes Serilog's static
/// <c>Log.Logger</c>, so the tests that host it share one collection (<see cref="StaticLoggerCollection"/>) and
/// <see cref="StopAsync"/> waits for that thread to end, that is for <c>Log.CloseAndFlush()</c> to return.
/// </remarks>
public sealed class SampleApp : WebApplicationFactory<Program>
{
    // The sample sets the process's current directory to its content root; hosts start one at a time and the
    // directory is put back, so that no test is left in a folder that another test deletes.
    static readonly object s_startLock = new();

    readonly TempFolder _root = new();
    readonly string _environment;
    readonly TimeProvider? _time;
    readonly bool _kestrel;
    INonBlockingLogInspector? _mainSink;

    // The thread that runs the sample's Program: WebApplicationFactory runs it until the host stops, then
    // Program's finally closes the logger. Known once the host is being built.
    Thread? _entryPoint;

    /// <param name="fileArgs">Edits the file sink's "Args" in appsettings.json: its capacity, fullMode, timeouts.</param>
    /// <param name="edit">Edits the rest of appsettings.json.</param>
    /// <param name="time">The app's TimeProvider, which its health check reads "now" from.</param>
    /// <param name="developmentSettings">Adds the sample's appsettings.Development.json.</param>
    /// <param name="environment">The host environment: the operator-only endpoints answer anyone only in Development.</param>
    /// <param name="kestrel">Real Kestrel on 127.0.0.1 and a free port, instead of the in-process test server.</param>
    public SampleApp(Action<JsonNode>? fileArgs = null, Action<JsonObject>? edit = null, TimeProvider? time = null, bool developmentSettings = false,
        string environment = "Development", bool kestrel = false)
    {
        var id = Guid.NewGuid().ToString("n");
        Main = "main-" + id;
        Console = "console-" + id;
        _environment = environment;
        _time = time;
        _kestrel = kestrel;

        // Comments are allowed in appsettings.json, as the configuration reader allows them; the copy written below has none.
        var settings = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")), documentOptions: new() { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        var writeTo = settings["Serilog"]!["WriteTo"]!;
        writeTo["File"]!["Args"]!["name"] = Main;
        writeTo["File"]!["Args"]!["path"] = Path.Combine(LogFolder, "sample-.log");
        writeTo["Console"]!["Args"]!["name"] = Console;
        writeTo["Console"]!["Args"]!["restrictedToMinimumLevel"] = "Fatal"; // keeps the test run's output quiet
        settings["LoggingHealth"]!["Sinks"] = new JsonArray(Main, Console);
        fileArgs?.Invoke(writeTo["File"]!["Args"]!);
        edit?.Invoke(settings);
        File.WriteAllText(SettingsPath, settings.ToJsonString(new() { WriteIndented = true }));
        if (developmentSettings) File.Copy(Path.Combine(AppContext.BaseDirectory, "appsettings.Development.json"), Path.Combine(_root.Path, "appsettings.Development.json"));

        if (kestrel) UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>
    /// A clock for the app's health check ("now", "recent"), which starts at the real time and moves only when the
    /// test advances it; the sinks' own timestamps come from the system clock.
    /// </summary>
    public static FakeTimeProvider ClockFromNow() => new(DateTimeOffset.UtcNow);

    /// <summary>The name of the sample's file sink.</summary>
    public string Main { get; }

    /// <summary>The name of the sample's console sink.</summary>
    public string Console { get; }

    public string SettingsPath => Path.Combine(_root.Path, "appsettings.json");

    public string LogFolder => Path.Combine(_root.Path, "logs");

    /// <summary>The file sink, found when the app started; it still answers after the app stopped.</summary>
    public INonBlockingLogInspector MainSink => _mainSink ?? throw new InvalidOperationException("call Start first");

    internal FaultDrills MainDrills => SinkRegistry.Find(Main)!.Supervisor.Drills;

    public IConfigurationRoot Configuration => (IConfigurationRoot)Services.GetRequiredService<IConfiguration>();

    /// <summary>Changes configuration keys and reloads, as an edit of appsettings.json would; the reload handlers run before this returns.</summary>
    public void Reconfigure(params (string Key, string? Value)[] changes)
    {
        var overrides = Configuration.Providers.OfType<MemoryConfigurationProvider>().Last();
        foreach (var (key, value) in changes) overrides.Set(key, value);
        Configuration.Reload();
    }

    /// <summary>The address Kestrel bound, such as http://127.0.0.1:40123 (Kestrel only).</summary>
    public Uri ServerAddress => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

    /// <summary>
    /// A client for the app as it is hosted: on Kestrel, over the loopback network as a user's tool would reach it;
    /// otherwise in process, where requests have no remote address and so stand for a caller from the network.
    /// </summary>
    public HttpClient CreateHostClient() => _kestrel ? new() { BaseAddress = ServerAddress, Timeout = Wait.HangGuard } : CreateClient();

    public void Start()
    {
        lock (s_startLock)
        {
            var directory = Directory.GetCurrentDirectory();
            try
            {
                StartServer();
                _mainSink = NonBlockingLogSinks.Find(Main) ?? throw new InvalidOperationException($"the sample started without a sink named {Main}");
            }
            finally
            {
                Directory.SetCurrentDirectory(directory);
            }
        }
    }

    /// <summary>Every line of every log file, in file order.</summary>
    public string[] LogLines() =>
        Directory.Exists(LogFolder) ? Directory.GetFiles(LogFolder, "*.log").Order().SelectMany(File.ReadAllLines).ToArray() : [];

    /// <summary>POSTs a fault drill for the file sink (crash, stall, disk-full, heal), as an operator would, and checks it was taken.</summary>
    public async Task RunDrillAsync(HttpClient client, string drill) =>
        (await client.PostAsync($"/drills/{Main}/{drill}", null)).EnsureSuccessStatusCode();

    /// <summary>Waits until the file sink has written everything it accepted (the consumer is another thread).</summary>
    public NonBlockingLogSnapshot WaitUntilIdle() =>
        WaitUntil(s => s is { Pending: 0, State: SinkState.Running, Phase: ConsumerPhase.Waiting }, "the file sink is idle");

    /// <summary>Waits until the supervisor has restarted the consumer after the first crash and the new one runs.</summary>
    public void WaitUntilRestartedAfterCrash() =>
        WaitUntil(s => s is { FaultRestarts: 1, State: SinkState.Running }, "the crashed consumer is restarted");

    /// <summary>Waits until the consumer is stuck inside a write (the stall drill) with events waiting behind it.</summary>
    public void WaitUntilHungInAWrite() =>
        WaitUntil(s => s is { Phase: ConsumerPhase.Writing, Pending: > 0 }, "the consumer hangs in a write");

    /// <summary>Waits until the consumer waits out an I/O outage (the disk-full drill) before retrying.</summary>
    public void WaitUntilBackingOff() =>
        WaitUntil(s => s.Phase == ConsumerPhase.BackingOff, "the consumer backs off");

    /// <summary>
    /// GETs /health, checks the status code and status, and returns the description. Unless the test holds the
    /// consumer stuck, it first waits until the previous requests' log lines are written: the test's clock runs
    /// ahead of the system's, so anything still pending would look stuck for as long as the clock was advanced.
    /// </summary>
    public async Task<string> AssertHealthAsync(HttpClient client, HttpStatusCode code, string status, bool stuck = false)
    {
        if (!stuck) WaitUntilIdle();
        using var response = await client.GetAsync("/health");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var description = body.GetProperty("checks").GetProperty("nonblockinglog").GetProperty("description").GetString()!;
        Assert.True(response.StatusCode == code && body.GetProperty("status").GetString() == status,
            $"expected {(int)code} {status}, got {(int)response.StatusCode} {body.GetProperty("status")}: {description}");
        return description;
    }

    NonBlockingLogSnapshot WaitUntil(Func<NonBlockingLogSnapshot, bool> state, string what)
    {
        NonBlockingLogSnapshot? s = null;
        Wait.Until(() => state(s = MainSink.GetSnapshot()), what);
        return s!;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Runs while Program builds its host (this method itself runs earlier, on the test's thread).
        builder.ConfigureServices(_ => _entryPoint = Thread.CurrentThread);
        builder.UseContentRoot(_root.Path);

        // Last, so it overrides appsettings.json: Set a key in it, then Reload(), to change configuration live.
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection());
        builder.UseEnvironment(_environment);
        if (_time is not null) builder.ConfigureTestServices(services => services.AddSingleton(_time));
    }

    /// <summary>
    /// Stops and disposes the host, then waits until Program has returned, so that its finally has closed the
    /// logger as in production: the log files are complete and stay until DisposeAsync.
    /// </summary>
    public async Task StopAsync()
    {
        await base.DisposeAsync();
        if (_entryPoint is { } thread && !await Task.Run(() => thread.Join(Wait.HangGuard)))
            throw new TimeoutException($"the sample's Program did not return within {Wait.HangGuard} after its host stopped");
    }

    public override async ValueTask DisposeAsync()
    {
        await StopAsync();
        _root.Dispose();
    }
}
