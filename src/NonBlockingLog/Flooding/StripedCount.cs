using System.Diagnostics;

namespace NonBlockingLog.Flooding;

/// <summary>
/// An exact count that many threads increment at once: each processor adds to its own cache line, and readers
/// sum the lines. A flood is many threads calling with one template, so one shared count would make every
/// suppressed call wait for the line to come over from the core that counted last.
/// </summary>
internal sealed class StripedCount
{
    // 16 longs (128 bytes) per stripe, so that no two stripes share a line even with adjacent-line prefetch; the
    // first row is left unused so that no stripe shares a line with the array's length, which bounds checks read.
    const int Stride = 16;

    readonly long[] _cells = new long[(ProcessorStripes.Count + 1) * Stride];

    public void Increment() => Interlocked.Increment(ref _cells[(ProcessorStripes.Current + 1) * Stride]);

    /// <summary>Exact whenever no increment is in progress.</summary>
    public long Sum()
    {
        Debug.Assert(_cells.Length % Stride == 0, "whole rows");
        long sum = 0;
        for (var i = Stride; i < _cells.Length; i += Stride) sum += Volatile.Read(ref _cells[i]);
        return sum;
    }
}
