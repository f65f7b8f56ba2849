using Microsoft.Extensions.Configuration;

namespace NonBlockingLog.AspNetCore;

/// <summary>
/// One <c>NonBlocking</c> or <c>NonBlockingFile</c> entry of <c>&lt;section&gt;:WriteTo</c>, read the way
/// Serilog.Settings.Configuration reads it (method names exact, keys in any letter case; WriteTo as an array or
/// as an object of named entries), with each argument reduced to one string so that two readings can be compared.
/// </summary>
internal sealed record ConfiguredSink(string Key, string Path, string Method, string? Name, IReadOnlyDictionary<string, string> Args)
{
    static readonly string[] s_methods = ["NonBlocking", "NonBlockingFile"];

    public static Dictionary<string, ConfiguredSink> ReadAll(IConfiguration configuration, string sectionName)
    {
        var sinks = new Dictionary<string, ConfiguredSink>(StringComparer.Ordinal);
        foreach (var entry in configuration.GetSection(ConfigurationPath.Combine(sectionName, "WriteTo")).GetChildren())
        {
            var method = entry["Name"];
            if (method is null || !s_methods.Contains(method, StringComparer.Ordinal)) continue;

            var args = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var arg in entry.GetSection("Args").GetChildren()) args[arg.Key] = Flatten(arg);
            var name = args.GetValueOrDefault("name");

            // An unnamed sink gets a generated name that configuration cannot know; it is tracked by its place.
            var sink = new ConfiguredSink(name ?? entry.Path, entry.Path, method, name, args);
            sinks[sink.Key] = sink;
        }

        return sinks;
    }

    public string? Arg(string key) => Args.GetValueOrDefault(key);

    /// <summary>The configuration path of one of this entry's arguments, as validation problems name it.</summary>
    public string ArgPath(string key) => ConfigurationPath.Combine(Path, "Args", key);

    // A nested argument ("configure", "formatter" with its own Args) becomes its sorted leaves, path=value.
    static string Flatten(IConfigurationSection section) =>
        section.Value ?? string.Join(";", section.AsEnumerable(makePathsRelative: true)
            .Where(kv => kv.Value is not null)
            .OrderBy(kv => kv.Key, StringComparer.OrdinalIgnoreCase)
            .Select(kv => $"{kv.Key}={kv.Value}"));
}
