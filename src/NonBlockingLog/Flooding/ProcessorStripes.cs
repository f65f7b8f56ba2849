using System.Numerics;

namespace NonBlockingLog.Flooding;

/// <summary>
/// How the flood guard spreads what callers count over the processors, so that threads on different cores write
/// different cache lines (as the drop counters do).
/// </summary>
internal static class ProcessorStripes
{
    /// <summary>Stripes: the processor count rounded up to a power of two, at most 64.</summary>
    public static readonly int Count = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 64));

    /// <summary>The calling thread's stripe. The runtime caches the processor id, so this costs about a field read.</summary>
    public static int Current => Thread.GetCurrentProcessorId() & (Count - 1);
}
