using System.Collections.Concurrent;
using NonBlockingLog.Consumption;

namespace NonBlockingLog.Accounting;

/// <summary>
/// The live sinks of the process, by name, for lookups, health and the Meter's observable instruments. A name
/// belongs to one live sink at a time: a second sink of the same name is a configuration error, not a silent
/// replacement that would hide the first from health and metrics.
/// </summary>
internal static class SinkRegistry
{
    // A null value reserves the name for a sink still being built; lookups do not see it yet.
    static readonly ConcurrentDictionary<string, NonBlockingSink?> s_sinks = new(StringComparer.Ordinal);

    /// <summary>Claims <paramref name="name"/> for a sink being built; throws if a live sink has it.</summary>
    public static void Reserve(string name)
    {
        if (!s_sinks.TryAdd(name, null))
        {
            throw new InvalidOperationException(
                $"A NonBlockingLog sink named \"{name}\" is already running in this process. Each live sink needs its own name: " +
                "give this one another \"name\", or dispose the logger that holds the other one first.");
        }

        SinkMetrics.EnsureCreated();
    }

    /// <summary>The sink that reserved its name is built: lookups see it from now on.</summary>
    public static void Publish(NonBlockingSink sink) => s_sinks[sink.Name] = sink;

    /// <summary>Gives the name back, whether the sink was published or its construction failed.</summary>
    public static void Release(NonBlockingSink? sink, string name)
    {
        if (s_sinks.TryGetValue(name, out var current) && current == sink)
            s_sinks.TryRemove(new KeyValuePair<string, NonBlockingSink?>(name, current));
    }

    public static NonBlockingSink? Find(string name) => s_sinks.TryGetValue(name, out var sink) ? sink : null;

    public static IReadOnlyCollection<NonBlockingSink> Snapshot() => s_sinks.Values.OfType<NonBlockingSink>().ToArray();
}
