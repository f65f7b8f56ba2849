namespace NonBlockingLog.Sample;

/// <summary>The names given to the NonBlockingLog sinks under Serilog:WriteTo.</summary>
static class ConfiguredSinks
{
    public static string[] Names(IConfiguration configuration) =>
        configuration.GetSection("Serilog:WriteTo").GetChildren()
            .Where(entry => entry["Name"] is "NonBlocking" or "NonBlockingFile")
            .Select(entry => entry["Args:name"])
            .OfType<string>()
            .ToArray();
}
