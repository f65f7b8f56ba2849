using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Serilog.Debugging;

namespace NonBlockingLog.AspNetCore;

/// <summary>
/// Watches the Serilog section of the configuration (appsettings.json reloads on change by default) and applies
/// a changed fullMode, waitTimeout, reservedForWarnings or floodLimit of a named NonBlocking/NonBlockingFile entry to the
/// running sink, one log line per change. Any other changed argument (capacity, paths, timeouts) is reported as
/// needing a restart. Each reading is checked with <see cref="NonBlockingLogConfiguration.FindProblems"/>, the
/// check that runs at startup: an invalid value or an unknown key is reported with what is valid, and not
/// applied. Nothing is ever thrown into the host.
/// </summary>
/// <remarks>
/// A reload is compared with the previous reading of the configuration, not with the running sink: a reload
/// fires for any edit of any file, and a policy that code set through NonBlockingLogSinks.UpdatePolicy must not
/// be overwritten by an unrelated edit. Only what the user changed in configuration is applied, and only a
/// problem that the previous reading did not have is reported.
/// </remarks>
internal sealed class PolicyReloader(IConfiguration configuration, string sectionName, ILogger<PolicyReloader> logger) : IHostedService, IDisposable
{
    const string FullMode = "fullMode", WaitTimeout = "waitTimeout", ReservedForWarnings = "reservedForWarnings", FloodLimit = "floodLimit";
    static readonly string[] s_liveSettings = [FullMode, WaitTimeout, ReservedForWarnings, FloodLimit];

    // Guards _seen and _problemsSeen only; the sinks and the logger are called outside it.
    readonly object _lock = new();
    Dictionary<string, ConfiguredSink> _seen = [];
    HashSet<string> _problemsSeen = [];

    // The reading at start: what the sinks run with for the settings that cannot change live.
    Dictionary<string, ConfiguredSink> _initial = [];
    IDisposable? _watch;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var first = ConfiguredSink.ReadAll(configuration, sectionName);
        var problems = Describe(NonBlockingLogConfiguration.FindProblems(configuration, sectionName));
        lock (_lock)
        {
            _seen = _initial = first;
            _problemsSeen = problems;
        }

        _watch = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _watch?.Dispose();

    /// <summary>Runs on the thread that reloaded the configuration (a file watcher's, or a caller of Reload()).</summary>
    internal void Reload()
    {
        try
        {
            var next = ConfiguredSink.ReadAll(configuration, sectionName);
            var problems = new ReloadProblems(NonBlockingLogConfiguration.FindProblems(configuration, sectionName));
            Dictionary<string, ConfiguredSink> previous;
            HashSet<string> previousProblems;
            lock (_lock)
            {
                previous = _seen;
                previousProblems = _problemsSeen;
                _seen = next;
                _problemsSeen = Describe(problems.All);
            }

            foreach (var sink in next.Values) Apply(previous.GetValueOrDefault(sink.Key), sink, problems);

            // What no sink's line has told: problems of unnamed, nested or new entries, duplicate names.
            foreach (var problem in problems.Untold().Where(p => !previousProblems.Contains(p.ToString())))
                logger.LogWarning("NonBlockingLog configuration problem after a reload, so the running sinks keep their settings: {Problem}", problem.ToString());

            foreach (var gone in previous.Values.Where(p => p.Name is not null && !next.ContainsKey(p.Key)))
                logger.LogWarning("NonBlockingLog sink {SinkName} is no longer in the configuration; it keeps running until the app restarts", gone.Name);
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("{0} failed applying a configuration reload: {1}", typeof(PolicyReloader), ex);
        }
    }

    void Apply(ConfiguredSink? before, ConfiguredSink now, ReloadProblems problems)
    {
        if (before is not null && before.Args.Count == now.Args.Count && before.Args.All(kv => now.Arg(kv.Key) == kv.Value)) return;

        if (now.Name is null)
        {
            logger.LogWarning("The {Method} sink at {ConfigurationPath} has no name, so its new settings cannot be applied while it runs; give it a \"name\" and restart", now.Method, now.Path);
            return;
        }

        if (NonBlockingLogSinks.Find(now.Name) is not { } running)
        {
            logger.LogWarning("NonBlockingLog sink {SinkName} is configured but not running; restart the app to start it", now.Name);
            return;
        }

        foreach (var setting in s_liveSettings)
        {
            // A sink that was not in the previous reading (renamed to a running sink's name) is compared with
            // the running sink for these settings; the others cannot be compared, so they are not reported.
            if (before is not null && before.Arg(setting) == now.Arg(setting)) continue;
            ApplyLive(now.Name, setting, now.Arg(setting), running.GetSnapshot(), problems.Tell(now.ArgPath(setting)));
        }

        // Reported when edited, unless edited back to what the sink runs with (the reading at start).
        if (before is null || _initial.GetValueOrDefault(now.Key) is not { } initial) return;
        var changed = before.Args.Keys.Union(now.Args.Keys, StringComparer.OrdinalIgnoreCase)
            .Where(k => !s_liveSettings.Contains(k, StringComparer.OrdinalIgnoreCase) && !k.Equals("name", StringComparison.OrdinalIgnoreCase))
            .Where(k => before.Arg(k) != now.Arg(k) && initial.Arg(k) != now.Arg(k))
            .Order(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in changed)
        {
            if (problems.Tell(now.ArgPath(setting)) is { } problem)
            {
                logger.LogWarning("NonBlockingLog sink {SinkName}: {Setting} {ConfiguredValue} is not valid: {Problem}",
                    now.Name, setting, now.Arg(setting) ?? "(removed)", problem);
                continue;
            }

            var runningWith = setting.Equals("capacity", StringComparison.OrdinalIgnoreCase)
                ? running.GetSnapshot().Capacity.ToString(CultureInfo.InvariantCulture)
                : initial.Arg(setting) ?? "the default";
            if (runningWith == now.Arg(setting)) continue;
            logger.LogWarning("NonBlockingLog sink {SinkName}: {Setting} cannot change while the sink runs (running with {RunningValue}, configured {ConfiguredValue}); restart to apply",
                now.Name, setting, runningWith, now.Arg(setting) ?? "the default");
        }
    }

    void ApplyLive(string name, string setting, string? configured, NonBlockingLogSnapshot current, string? problem)
    {
        var currentValue = setting switch
        {
            FullMode => current.FullMode.ToString(),
            WaitTimeout => current.WaitTimeout.ToString("c", CultureInfo.InvariantCulture),
            ReservedForWarnings => current.ReservedForWarnings.ToString(CultureInfo.InvariantCulture),
            _ => current.FloodLimit.ToString(CultureInfo.InvariantCulture),
        };

        QueueFullMode? fullMode = null;
        TimeSpan? waitTimeout = null;
        int? reserved = null;
        int? floodLimit = null;
        if (problem is null)
        {
            // Read as Serilog.Settings.Configuration reads it at startup; the check above has passed it.
            var text = configured is null ? null : Environment.ExpandEnvironmentVariables(configured);
            var parsed = setting switch
            {
                // A removed key means the default, as it would at the next start.
                FullMode => text is null ? Set(out fullMode, QueueFullMode.DropNewest)
                    : Enum.TryParse<QueueFullMode>(text, ignoreCase: true, out var mode) && Set(out fullMode, mode),
                WaitTimeout => string.IsNullOrEmpty(text) ? Set(out waitTimeout, NonBlockingLogConfiguration.DefaultWaitTimeout)
                    : TimeSpan.TryParse(text, CultureInfo.CurrentCulture, out var wait) && Set(out waitTimeout, wait),
                ReservedForWarnings => string.IsNullOrEmpty(text) ? Set(out reserved, NonBlockingLogConfiguration.DefaultReservedForWarnings(current.Capacity))
                    : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) && Set(out reserved, r),
                _ => text is null ? Set(out floodLimit, NonBlockingLogConfiguration.DefaultFloodLimit)
                    : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var f) && Set(out floodLimit, f),
            };

            // Such as a "Type::Member" reference, which only the settings reader resolves.
            if (!parsed) problem = $"{setting} can only change at a restart when it is not a plain value.";
        }

        var newValue = fullMode?.ToString() ?? waitTimeout?.ToString("c", CultureInfo.InvariantCulture)
            ?? reserved?.ToString(CultureInfo.InvariantCulture) ?? floodLimit?.ToString(CultureInfo.InvariantCulture);
        if (problem is null && newValue == currentValue) return;
        if (problem is null)
        {
            try
            {
                if (!NonBlockingLogSinks.UpdatePolicy(name, fullMode, waitTimeout, reserved, floodLimit)) problem = "the sink is no longer running.";
            }
            catch (ArgumentException ex)
            {
                // Valid in configuration, but not for the running sink (reservedForWarnings against the capacity it
                // started with): the library's own message, which names what a valid value is.
                problem = ex.Message.ReplaceLineEndings(" ");
            }
        }

        if (problem is not null)
        {
            logger.LogWarning("NonBlockingLog sink {SinkName}: {Setting} {ConfiguredValue} is not valid, so it keeps {RunningValue}: {Problem}",
                name, setting, configured ?? "(removed)", currentValue, problem);
            return;
        }

        logger.LogInformation("NonBlockingLog sink {SinkName}: {Setting} changed from {OldValue} to {NewValue} while running (configuration reloaded)",
            name, setting, currentValue, newValue);
    }

    static HashSet<string> Describe(IEnumerable<ConfigurationProblem> problems) => problems.Select(p => p.ToString()).ToHashSet(StringComparer.Ordinal);

    static bool Set<T>(out T? target, T value) where T : struct
    {
        target = value;
        return true;
    }
}
