namespace NonBlockingLog.Supervision;

/// <summary>The last error a sink met, with when.</summary>
internal sealed record ErrorRecord(Exception Error, DateTimeOffset At);
