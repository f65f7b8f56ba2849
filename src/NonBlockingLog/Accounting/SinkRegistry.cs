using System.Collections.Concurrent;
using NonBlockingLog.Consumption;
using Serilog.Debugging;

namespace NonBlockingLog.Accounting;

/// <summary>The live sinks of the process, by name, for lookups and for the Meter's observable instruments.</summary>
internal static class SinkRegistry
{
    static readonly ConcurrentDictionary<string, NonBlockingSink> s_sinks = new(StringComparer.Ordinal);

    public static void Register(NonBlockingSink sink)
    {
        NonBlockingSink? replaced = null;
        s_sinks.AddOrUpdate(sink.Name, sink, (_, old) =>
        {
            replaced = old;
            return sink;
        });

        // Two live sinks with one name: lookups, health and metrics see only the newer one.
        if (replaced is not null)
        {
            SelfLog.WriteLine("{0}: a second sink named {1} was created while the first is still running; lookups and metrics now see the new one. Give each sink its own name.",
                typeof(SinkRegistry), sink.Name);
        }

        SinkMetrics.EnsureCreated();
    }

    // Only removes the entry if it is still this sink: a newer sink of the same name keeps its place.
    public static void Unregister(NonBlockingSink sink) =>
        s_sinks.TryRemove(new KeyValuePair<string, NonBlockingSink>(sink.Name, sink));

    public static NonBlockingSink? Find(string name) => s_sinks.TryGetValue(name, out var sink) ? sink : null;

    public static IReadOnlyCollection<NonBlockingSink> Snapshot() => s_sinks.Values.ToArray();
}
