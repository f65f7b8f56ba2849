using Microsoft.Extensions.Configuration;

namespace NonBlockingLog.Settings;

/// <summary>
/// Checks one <c>NonBlocking</c> or <c>NonBlockingFile</c> entry of a configuration: its keys against the
/// method's parameters, each value's form as the settings reader converts it, then the method's own rules on
/// the converted values. Every problem names the configuration path of its key.
/// </summary>
internal static class SinkEntryValidator
{
    static readonly string[] s_entryKeys = ["Name", "Args"];

    /// <summary>
    /// Adds the entry's problems, and returns the arguments as the method would receive them (defaults for
    /// what is missing or unreadable). The entry is a section with Name and Args, or a plain string that only
    /// names the method.
    /// </summary>
    public static ArgumentValues Check(IConfigurationSection entry, SinkMethod method, IReadOnlySet<string> levelSwitches, List<ConfigurationProblem> found)
    {
        var problems = new List<ConfigurationProblem>();
        var values = new ArgumentValues(method.Parameters);
        var argsPath = ConfigurationPath.Combine(entry.Path, "Args");
        if (entry.Value is null)
        {
            foreach (var key in entry.GetChildren().Where(k => !s_entryKeys.Contains(k.Key, StringComparer.OrdinalIgnoreCase)))
            {
                var hint = method.FindParameter(key.Key) is { } p ? $"; settings go under Args, as \"Args\": {{ \"{p.Name}\": ... }}" : "";
                problems.Add(new(key.Path, $"a {method.Name} entry has only Name and Args, so {key.Key} is ignored{hint}."));
            }
        }

        // Settings whose value could not be read: the rules would only see their default.
        var unreadable = new HashSet<string>(StringComparer.Ordinal);
        List<IConfigurationSection> args = entry.Value is null ? [.. entry.GetSection("Args").GetChildren()] : [];
        foreach (var argument in args)
        {
            if (method.FindParameter(argument.Key) is not { } parameter)
            {
                problems.Add(new(argument.Path, UnknownKey(method, argument.Key)));
                continue;
            }

            if (ArgumentConversion.TryConvert(argument, parameter, levelSwitches, out var value) is { } problem)
            {
                problems.Add(new(argument.Path, problem));
                unreadable.Add(parameter.Name!);
            }
            else if (value == ArgumentValues.Unknown)
            {
                unreadable.Add(parameter.Name!);
            }
            else
            {
                values.Set(parameter, value);
            }
        }

        var rules = new SettingProblems();
        method.CheckRules(rules, values);
        foreach (var broken in rules.Found.Where(r => !unreadable.Contains(r.Setting)))
        {
            var key = args.FirstOrDefault(a => a.Key.Equals(broken.Setting, StringComparison.OrdinalIgnoreCase))?.Key ?? broken.Setting;
            problems.Add(new(ConfigurationPath.Combine(argsPath, key), broken.Message));
        }

        // In key order, as the file lists them, whichever check found each.
        found.AddRange(problems.OrderBy(p => p.Path, StringComparer.OrdinalIgnoreCase));
        return values;
    }

    static string UnknownKey(SinkMethod method, string key) => method.ClosestKey(key) is { } closest
        ? $"{method.Name} has no setting \"{key}\"; did you mean \"{closest}\"?"
        : $"{method.Name} has no setting \"{key}\"; its settings are {string.Join(", ", method.Parameters.Select(p => p.Name))}.";
}
