using Serilog.Formatting.Compact;

namespace NonBlockingLog.Tests.Formatting.Compact;

/// <summary>
/// ClefFormatter, rendered, writes exactly what Serilog.Formatting.Compact's RenderedCompactJsonFormatter writes (and
/// where it throws, the same exception type, but nothing of the line), over 120,000 generated events
/// (<see cref="ClefEvents"/>) in 12 chunks.
/// </summary>
public class RenderedCompactJsonDifferentialTests
{
    const int EventsPerChunk = 10_000;

    public static TheoryData<int> Chunks() => [.. Enumerable.Range(0, 12)];

    [Theory]
    [MemberData(nameof(Chunks))]
    public void Format_GeneratedEvents_WritesWhatTheLibraryWrites(int chunk)
    {
        var expected = new RenderedCompactJsonFormatter();
        var actual = ClefAssert.Compile(expected, rendered: true);

        ClefAssert.SameOutput(expected, actual, ClefAssert.Seed + chunk * 2 + 1, EventsPerChunk, $"chunk {chunk}");
    }
}
