namespace NonBlockingLog.Bench;

/// <summary>How a peer writes the workload's lines to its file, so that the checks afterwards read them right.</summary>
public enum LineFormat
{
    /// <summary>The workload's output template (<see cref="Workload.OutputTemplate"/>).</summary>
    Text,

    /// <summary>CLEF, as Serilog.Formatting.Compact's CompactJsonFormatter writes it.</summary>
    Clef,
}
