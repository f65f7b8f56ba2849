using Microsoft.Extensions.Configuration;

namespace NonBlockingLog.Settings;

/// <summary>
/// Finds every <c>NonBlocking</c> and <c>NonBlockingFile</c> entry of a Serilog configuration section where
/// Serilog.Settings.Configuration finds it (WriteTo as an array or as an object of named entries, and inside
/// the sinks another entry wraps), checks each, and checks that their names are unique.
/// </summary>
internal sealed class ConfigurationValidator
{
    readonly IReadOnlySet<string> _levelSwitches;
    readonly List<ConfigurationProblem> _problems = [];

    // Each sink name with the entry that took it first: sinks are found by name, so a name must be unique.
    readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    ConfigurationValidator(IReadOnlySet<string> levelSwitches) => _levelSwitches = levelSwitches;

    public static IReadOnlyList<ConfigurationProblem> FindProblems(IConfiguration configuration, string sectionName)
    {
        var section = configuration.GetSection(sectionName);
        var validator = new ConfigurationValidator(DeclaredLevelSwitches(section));
        validator.ReadSinks(section.GetSection("WriteTo"));
        return validator._problems;
    }

    // The reader refers to a declared switch by its name with a leading $, whether or not the declaration has one.
    static HashSet<string> DeclaredLevelSwitches(IConfigurationSection section) =>
        section.GetSection("LevelSwitches").GetChildren()
            .Select(s => s.Key.StartsWith('$') ? s.Key : "$" + s.Key)
            .ToHashSet(StringComparer.Ordinal);

    // Each child is one method call: a plain string naming the method, or a section with Name and Args.
    void ReadSinks(IConfigurationSection sinks)
    {
        foreach (var entry in sinks.GetChildren())
        {
            var nameSection = entry.Value is null ? entry.GetSection("Name") : entry;
            if (nameSection.Value is not { } methodName) continue;

            if (SinkMethod.Find(methodName) is { } method)
            {
                CheckSink(entry, method);
            }
            else if (SinkMethod.FindIgnoringCase(methodName) is { } meant)
            {
                _problems.Add(new(nameSection.Path,
                    $"no sink method is named \"{methodName}\" (method names are case-sensitive), so Serilog skips this entry without an error; did you mean \"{meant.Name}\"?"));
            }

            ReadWrappedSinks(entry);
        }
    }

    void CheckSink(IConfigurationSection entry, SinkMethod method)
    {
        var values = SinkEntryValidator.Check(entry, method, _levelSwitches, _problems);
        if (values.Get<string?>("name") is not { } name || string.IsNullOrWhiteSpace(name)) return;

        if (_names.TryGetValue(name, out var first))
        {
            var key = entry.GetSection("Args").GetChildren().First(a => a.Key.Equals("name", StringComparison.OrdinalIgnoreCase));
            _problems.Add(new(key.Path,
                $"name \"{name}\" is already the name of the sink at {first}; each sink needs a name of its own, since NonBlockingLogSinks.Find, the health check and live tuning find sinks by name."));
        }
        else
        {
            _names[name] = entry.Path;
        }
    }

    // An argument that is itself a list of sinks (configure), or a whole logger configuration with a WriteTo.
    void ReadWrappedSinks(IConfigurationSection entry)
    {
        if (entry.Value is not null) return;
        foreach (var argument in entry.GetSection("Args").GetChildren().Where(a => a.Value is null))
        {
            ReadSinks(argument);
            ReadSinks(argument.GetSection("WriteTo"));
        }
    }
}
