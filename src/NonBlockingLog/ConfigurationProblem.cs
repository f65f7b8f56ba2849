namespace NonBlockingLog;

/// <summary>
/// A setting of a <c>NonBlocking</c> or <c>NonBlockingFile</c> entry in configuration that Serilog.Settings.Configuration
/// would reject, misread or silently ignore, found by <see cref="NonBlockingLogConfiguration.FindProblems"/>.
/// </summary>
public sealed class ConfigurationProblem
{
    internal ConfigurationProblem(string path, string message)
    {
        Path = path;
        Message = message;
    }

    /// <summary>
    /// The configuration path of the setting, such as <c>Serilog:WriteTo:0:Args:capacity</c>; for a missing
    /// setting, the path it belongs at.
    /// </summary>
    public string Path { get; }

    /// <summary>What is wrong, naming the setting and what a valid value is, such as <c>capacity must be at least 1 (the number of events held in memory).</c></summary>
    public string Message { get; }

    /// <summary>The path and the message, as <see cref="NonBlockingLogConfiguration.Validate"/> lists them.</summary>
    public override string ToString() => $"{Path}: {Message}";
}
