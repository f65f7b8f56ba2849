namespace NonBlockingLog.Formatting;

/// <summary>
/// A text line (<see cref="CharLine"/>) for the output-template formatter. Numbers and other values written
/// through TextWriter's own overloads use the destination's format provider, as they would have. Reused per
/// thread, like <see cref="ScratchWriter"/>.
/// </summary>
internal sealed class LineWriter : CharLine
{
    const int InitialCapacity = 256;
    const int MaxRetainedCapacity = 32 * 1024;

    [ThreadStatic]
    static LineWriter? t_cached;

    IFormatProvider? _formatProvider;

    LineWriter()
        : base(InitialCapacity)
    {
    }

    public override IFormatProvider FormatProvider => _formatProvider ?? base.FormatProvider;

    public static LineWriter Rent(TextWriter destination)
    {
        var writer = t_cached ?? new LineWriter();
        t_cached = null;
        writer._formatProvider = destination.FormatProvider;
        return writer;
    }

    public void Return()
    {
        Clear();
        _formatProvider = null;
        if (Capacity <= MaxRetainedCapacity) t_cached = this;
    }

    /// <summary>Escapes every control character written since <paramref name="start"/> (see <see cref="ControlCharacters"/>).</summary>
    public void EscapeControlCharactersFrom(int start)
    {
        var first = ControlCharacters.IndexOfAny(Written[start..]);
        if (first < 0) return;
        var tail = Written[(start + first)..].ToArray();
        Truncate(start + first);
        ControlCharacters.WriteEscaped(tail, this);
    }
}
