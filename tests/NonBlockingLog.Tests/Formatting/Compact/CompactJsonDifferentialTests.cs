using Serilog.Formatting.Compact;

namespace NonBlockingLog.Tests.Formatting.Compact;

/// <summary>
/// ClefFormatter writes exactly what Serilog.Formatting.Compact's CompactJsonFormatter writes (and where it throws,
/// the same exception type, but nothing of the line), over 120,000 generated events (<see cref="ClefEvents"/>)
/// in 12 chunks, so that the chunks run alongside other tests.
/// </summary>
public class CompactJsonDifferentialTests
{
    const int EventsPerChunk = 10_000;

    public static TheoryData<int> Chunks() => [.. Enumerable.Range(0, 12)];

    [Theory]
    [MemberData(nameof(Chunks))]
    public void Format_GeneratedEvents_WritesWhatTheLibraryWrites(int chunk)
    {
        var expected = new CompactJsonFormatter();
        var actual = ClefAssert.Compile(expected, rendered: false);

        ClefAssert.SameOutput(expected, actual, ClefAssert.Seed + chunk * 2 + 0, EventsPerChunk, $"chunk {chunk}");
    }
}
