using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using NonBlockingLog.Settings;
using Serilog.Debugging;

namespace NonBlockingLog.AspNetCore;

/// <summary>
/// Watches the configuration (appsettings.json reloads on change by default) and applies a changed fullMode,
/// waitTimeout or reservedForWarnings of a named NonBlocking/NonBlockingFile entry to the running sink, one log
/// line per change. Any other changed argument (capacity, paths, timeouts) is reported as needing a restart,
/// and an invalid value is reported and not applied. Nothing is ever thrown into the host.
/// </summary>
/// <remarks>
/// A reload is compared with the previous reading of the configuration, not with the running sink: a reload
/// fires for any edit of any file, and a policy that code set through NonBlockingLogSinks.UpdatePolicy must not
/// be overwritten by an unrelated edit. Only what the user changed in configuration is applied.
/// </remarks>
internal sealed class PolicyReloader(IConfiguration configuration, ILogger<PolicyReloader> logger) : IHostedService, IDisposable
{
    const string FullMode = "fullMode", WaitTimeout = "waitTimeout", ReservedForWarnings = "reservedForWarnings";
    static readonly string[] s_liveSettings = [FullMode, WaitTimeout, ReservedForWarnings];

    // Guards _seen only; the sinks and the logger are called outside it.
    readonly object _lock = new();
    Dictionary<string, ConfiguredSink> _seen = [];

    // The reading at start: what the sinks run with for the settings that cannot change live.
    Dictionary<string, ConfiguredSink> _initial = [];
    IDisposable? _watch;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var first = ConfiguredSink.ReadAll(configuration);
        lock (_lock) _seen = _initial = first;
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
            var next = ConfiguredSink.ReadAll(configuration);
            Dictionary<string, ConfiguredSink> previous;
            lock (_lock)
            {
                previous = _seen;
                _seen = next;
            }

            foreach (var sink in next.Values) Apply(previous.GetValueOrDefault(sink.Key), sink);
            foreach (var gone in previous.Values.Where(p => p.Name is not null && !next.ContainsKey(p.Key)))
                logger.LogWarning("NonBlockingLog sink {SinkName} is no longer in the configuration; it keeps running until the app restarts", gone.Name);
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("{0} failed applying a configuration reload: {1}", typeof(PolicyReloader), ex);
        }
    }

    void Apply(ConfiguredSink? before, ConfiguredSink now)
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
            ApplyLive(now.Name, setting, now.Arg(setting), running.GetSnapshot());
        }

        // Reported when edited, unless edited back to what the sink runs with (the reading at start).
        if (before is null || _initial.GetValueOrDefault(now.Key) is not { } initial) return;
        var changed = before.Args.Keys.Union(now.Args.Keys, StringComparer.OrdinalIgnoreCase)
            .Where(k => !s_liveSettings.Contains(k, StringComparer.OrdinalIgnoreCase) && !k.Equals("name", StringComparison.OrdinalIgnoreCase))
            .Where(k => before.Arg(k) != now.Arg(k) && initial.Arg(k) != now.Arg(k))
            .Order(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in changed)
        {
            var runningWith = setting.Equals("capacity", StringComparison.OrdinalIgnoreCase)
                ? running.GetSnapshot().Capacity.ToString(CultureInfo.InvariantCulture)
                : initial.Arg(setting) ?? "the default";
            if (runningWith == now.Arg(setting)) continue;
            logger.LogWarning("NonBlockingLog sink {SinkName}: {Setting} cannot change while the sink runs (running with {RunningValue}, configured {ConfiguredValue}); restart to apply",
                now.Name, setting, runningWith, now.Arg(setting) ?? "the default");
        }
    }

    void ApplyLive(string name, string setting, string? configured, NonBlockingLogSnapshot current)
    {
        // A removed key means the default, as it would at the next start.
        var currentValue = setting switch
        {
            FullMode => current.FullMode.ToString(),
            WaitTimeout => current.WaitTimeout.ToString("c", CultureInfo.InvariantCulture),
            _ => current.ReservedForWarnings.ToString(CultureInfo.InvariantCulture),
        };

        QueueFullMode? fullMode = null;
        TimeSpan? waitTimeout = null;
        int? reserved = null;
        string? problem = setting switch
        {
            // Case-sensitive, as Serilog.Settings.Configuration parses enums: a value accepted here must also start the app.
            FullMode => configured is null ? Set(out fullMode, QueueFullMode.DropNewest)
                : Enum.TryParse<QueueFullMode>(configured, ignoreCase: false, out var mode) ? Set(out fullMode, mode)
                : "fullMode must be DropNewest, DropOldest or Wait (case-sensitive).",
            WaitTimeout => configured is null ? Set(out waitTimeout, NonBlockingSinkOptions.DefaultWaitTimeout)
                : TimeSpan.TryParse(configured, CultureInfo.InvariantCulture, out var wait) ? Set(out waitTimeout, wait)
                : "waitTimeout must be a duration such as \"00:00:00.100\".",
            _ => configured is null ? Set(out reserved, 0)
                : int.TryParse(configured, NumberStyles.Integer, CultureInfo.InvariantCulture, out var r) ? Set(out reserved, r)
                : "reservedForWarnings must be a whole number.",
        };

        var newValue = fullMode?.ToString() ?? waitTimeout?.ToString("c", CultureInfo.InvariantCulture) ?? reserved?.ToString(CultureInfo.InvariantCulture);
        if (problem is null && newValue == currentValue) return;
        if (problem is null)
        {
            try
            {
                if (!NonBlockingLogSinks.UpdatePolicy(name, fullMode, waitTimeout, reserved)) problem = "the sink is no longer running.";
            }
            catch (ArgumentException ex)
            {
                // The library's own validation message, which names what a valid value is.
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

    static string? Set<T>(out T? target, T value) where T : struct
    {
        target = value;
        return null;
    }
}
