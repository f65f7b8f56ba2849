using NonBlockingLog.Sinks.NonBlockingLog;

namespace NonBlockingLog;

/// <summary>Finds the NonBlockingLog sinks of this process, including those configured from appsettings.json.</summary>
public static class NonBlockingLogSinks
{
    /// <summary>The sinks that are not yet disposed, in no particular order.</summary>
    public static IReadOnlyCollection<INonBlockingLogInspector> All => SinkRegistry.Snapshot();

    /// <summary>The live sink with this name, or <c>null</c>. If two share a name, the one created last.</summary>
    /// <param name="name">The sink's <c>name</c> setting.</param>
    public static INonBlockingLogInspector? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return SinkRegistry.Find(name);
    }
}
