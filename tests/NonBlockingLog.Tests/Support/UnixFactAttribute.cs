namespace NonBlockingLog.Tests.Support;

/// <summary>A fact about Unix behaviour (file modes); skipped, with the reason, on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "Unix file modes do not exist on Windows";
    }
}
