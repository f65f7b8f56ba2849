using System.Globalization;

namespace NonBlockingLog.Formatting;

/// <summary>
/// A per-thread reusable StringWriter for the values that must be measured before they are padded, as Serilog's
/// ReusableStringWriter is: same culture (the current one), same size above which the buffer is not kept.
/// </summary>
internal sealed class ScratchWriter : StringWriter
{
    const int MaxRetainedCapacity = 32 * 1024;

    [ThreadStatic]
    static ScratchWriter? t_cached;

    ScratchWriter()
        : base(CultureInfo.CurrentCulture)
    {
    }

    public static ScratchWriter Rent()
    {
        var writer = t_cached;
        t_cached = null;
        if (writer is null || !Equals(writer.FormatProvider, CultureInfo.CurrentCulture)) writer = new ScratchWriter();
        return writer;
    }

    public void Return()
    {
        var buffer = GetStringBuilder();
        if (buffer.Capacity > MaxRetainedCapacity) return;
        buffer.Clear();
        t_cached = this;
    }
}
