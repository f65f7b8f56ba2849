namespace NonBlockingLog;

/// <summary>Read-only access to one NonBlockingLog sink's counters and state. Find one with <see cref="NonBlockingLogSinks"/>.</summary>
public interface INonBlockingLogInspector
{
    /// <summary>The sink's name, as configured (<c>name</c>) or generated.</summary>
    string Name { get; }

    /// <summary>Reads the sink's counters and state now. Safe from any thread at any time.</summary>
    NonBlockingLogSnapshot GetSnapshot();
}
