using System.Reflection;
using NonBlockingLog.Files;
using Serilog;

namespace NonBlockingLog.Settings;

/// <summary>
/// <c>WriteTo.NonBlocking</c> or <c>WriteTo.NonBlockingFile</c> as appsettings.json sees it: the keys are read
/// from the public method itself, so the validator cannot drift from what Serilog.Settings.Configuration calls,
/// and the value rules are the ones the method runs.
/// </summary>
internal sealed class SinkMethod
{
    public static readonly SinkMethod NonBlocking = new(nameof(NonBlockingLogConfigurationExtensions.NonBlocking), CheckNonBlocking);
    public static readonly SinkMethod NonBlockingFile = new(nameof(NonBlockingLogConfigurationExtensions.NonBlockingFile), CheckNonBlockingFile);

    static readonly SinkMethod[] s_all = [NonBlocking, NonBlockingFile];

    readonly Action<SettingProblems, ArgumentValues> _checkRules;

    SinkMethod(string name, Action<SettingProblems, ArgumentValues> checkRules)
    {
        Name = name;
        _checkRules = checkRules;
        var method = typeof(NonBlockingLogConfigurationExtensions).GetMethod(name, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{name} is not a public method of {nameof(NonBlockingLogConfigurationExtensions)}.");

        // The first parameter is the receiver (WriteTo), which configuration does not supply.
        Parameters = method.GetParameters()[1..];
    }

    public string Name { get; }

    /// <summary>The JSON keys, in the method's order.</summary>
    public IReadOnlyList<ParameterInfo> Parameters { get; }

    /// <summary>Method names match exactly, as Serilog.Settings.Configuration matches them.</summary>
    public static SinkMethod? Find(string methodName) => s_all.FirstOrDefault(m => m.Name == methodName);

    /// <summary>The method a name differing only in letter case was meant to call; configuration then skips it silently.</summary>
    public static SinkMethod? FindIgnoringCase(string methodName) =>
        s_all.FirstOrDefault(m => m.Name.Equals(methodName, StringComparison.OrdinalIgnoreCase));

    /// <summary>Keys match parameter names in any letter case, as Serilog.Settings.Configuration matches them.</summary>
    public ParameterInfo? FindParameter(string key) =>
        Parameters.FirstOrDefault(p => key.Equals(p.Name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The valid key nearest to a misspelt one (at most a few letters off), or null.</summary>
    public string? ClosestKey(string key)
    {
        const int MaxDistance = 3;
        var best = Parameters.Select(p => (Name: p.Name!, Distance: EditDistance(key.ToLowerInvariant(), p.Name!.ToLowerInvariant())))
            .MinBy(c => c.Distance);
        return best.Distance <= Math.Min(MaxDistance, key.Length / 2) ? best.Name : null;
    }

    /// <summary>Runs the method's own value rules on the converted arguments (defaults for those not given).</summary>
    public void CheckRules(SettingProblems problems, ArgumentValues values) => _checkRules(problems, values);

    static void CheckNonBlocking(SettingProblems problems, ArgumentValues a)
    {
        NonBlockingSinkOptions.CheckConfigure(problems, a.Get<object?>("configure"));
        CheckQueue(problems, a);
    }

    static void CheckNonBlockingFile(SettingProblems problems, ArgumentValues a)
    {
        FileWriterOptions.Check(problems, a.Get<string?>("path"), a.Get<string?>("outputTemplate"), a.Get<object?>("formatter"),
            a.Get<RollingInterval>("rollingInterval"), a.Get<long?>("fileSizeLimitBytes"), a.Get<bool>("rollOnFileSizeLimit"),
            a.Get<int?>("retainedFileCountLimit"), a.Get<TimeSpan?>("flushToDiskInterval"), a.Get<TimeSpan?>("retainedFileTimeLimit"),
            a.Get<string?>("fileMode"), a.Get<bool>("shared"));
        CheckQueue(problems, a);
    }

    static void CheckQueue(SettingProblems problems, ArgumentValues a) =>
        NonBlockingSinkOptions.Check(problems, a.Get<int>("capacity"), a.Get<QueueFullMode>("fullMode"), a.Get<TimeSpan?>("waitTimeout"),
            a.Get<int>("batchSizeLimit"), a.Get<TimeSpan?>("shutdownTimeout"), a.Get<TimeSpan?>("stallTimeout"),
            a.Get<int?>("reservedForWarnings"), a.Get<string?>("name"), a.Get<long?>("queueSizeLimitBytes"), a.Get<int>("floodLimit"));

    static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
