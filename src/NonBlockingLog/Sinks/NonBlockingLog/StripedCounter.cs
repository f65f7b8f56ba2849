namespace NonBlockingLog.Sinks.NonBlockingLog;

/// <summary>
/// A counter that many threads increment at full speed. One shared Interlocked field makes every producer fight
/// over one cache line; striping by thread keeps increments mostly core-local, and reads sum the stripes.
/// Reads are exact once writers are quiet, and never lower than any earlier read.
/// </summary>
internal sealed class StripedCounter
{
    // One stripe per cache line (128 bytes covers adjacent-line prefetching).
    const int LongsPerStripe = 16;
    readonly long[] _cells;
    readonly int _mask;

    public StripedCounter()
    {
        var stripes = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Min(Environment.ProcessorCount * 2, 64));
        _mask = stripes - 1;
        _cells = new long[stripes * LongsPerStripe];
    }

    /// <summary>Adds one. Also a full memory fence, which the sink relies on (see NonBlockingSink.Emit).</summary>
    public void Increment()
    {
        var stripe = Environment.CurrentManagedThreadId & _mask;
        Interlocked.Increment(ref _cells[stripe * LongsPerStripe]);
    }

    public long Read()
    {
        long sum = 0;
        for (var i = 0; i < _cells.Length; i += LongsPerStripe) sum += Volatile.Read(ref _cells[i]);
        return sum;
    }
}
