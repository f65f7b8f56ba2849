namespace NonBlockingLog.AspNetCore;

/// <summary>
/// The problems of one configuration reading, each told once: by the line about the sink setting it concerns,
/// or else on its own.
/// </summary>
internal sealed class ReloadProblems(IReadOnlyList<ConfigurationProblem> all)
{
    readonly HashSet<ConfigurationProblem> _told = [];

    public IReadOnlyList<ConfigurationProblem> All => all;

    /// <summary>The messages of the problems at this configuration path (keys match in any letter case), now told; or null.</summary>
    public string? Tell(string path)
    {
        var found = all.Where(p => p.Path.Equals(path, StringComparison.OrdinalIgnoreCase)).ToList();
        if (found.Count == 0) return null;
        _told.UnionWith(found);
        return string.Join(" ", found.Select(p => p.Message));
    }

    public IEnumerable<ConfigurationProblem> Untold() => all.Where(p => !_told.Contains(p));
}
