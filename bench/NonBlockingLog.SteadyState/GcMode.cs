namespace NonBlockingLog.SteadyState;

/// <summary>The garbage collector a run's process uses (DOTNET_gcServer).</summary>
internal enum GcMode
{
    Workstation,
    Server,
}
