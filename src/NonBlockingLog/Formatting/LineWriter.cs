using System.Text;

namespace NonBlockingLog.Formatting;

/// <summary>
/// Collects one line's characters so that the destination gets a single write per event. Each step of a template
/// writes a few characters at a time, and a StreamWriter (what Serilog.Sinks.File hands the formatter) does more
/// per call than copying them (a fifth of a line's cost went to its Write calls); here a call is a bounds check
/// and a copy. Numbers and other values written through TextWriter's own overloads use the destination's format
/// provider, as they would have. Reused per thread, like <see cref="ScratchWriter"/>.
/// </summary>
internal sealed class LineWriter : TextWriter
{
    const int InitialCapacity = 256;
    const int MaxRetainedCapacity = 32 * 1024;

    [ThreadStatic]
    static LineWriter? t_cached;

    char[] _chars = new char[InitialCapacity];
    int _length;
    IFormatProvider? _formatProvider;

    LineWriter()
    {
    }

    public override Encoding Encoding => Encoding.Unicode;

    public override IFormatProvider FormatProvider => _formatProvider ?? base.FormatProvider;

    /// <summary>The characters collected so far.</summary>
    public ReadOnlySpan<char> Written => _chars.AsSpan(0, _length);

    public static LineWriter Rent(TextWriter destination)
    {
        var writer = t_cached ?? new LineWriter();
        t_cached = null;
        writer._formatProvider = destination.FormatProvider;
        return writer;
    }

    public void Return()
    {
        _length = 0;
        _formatProvider = null;
        if (_chars.Length <= MaxRetainedCapacity) t_cached = this;
    }

    public override void Write(char value)
    {
        if (_length == _chars.Length) Grow(1);
        _chars[_length++] = value;
    }

    public override void Write(string? value)
    {
        if (value is not null) Write(value.AsSpan());
    }

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        if (buffer.Length > _chars.Length - _length) Grow(buffer.Length);
        buffer.CopyTo(_chars.AsSpan(_length));
        _length += buffer.Length;
    }

    /// <summary>Escapes every control character written since <paramref name="start"/> (see <see cref="ControlCharacters"/>).</summary>
    public void EscapeControlCharactersFrom(int start)
    {
        var first = ControlCharacters.IndexOfAny(_chars.AsSpan(start, _length - start));
        if (first < 0) return;
        var tail = _chars.AsSpan(start + first, _length - start - first).ToArray();
        _length = start + first;
        ControlCharacters.WriteEscaped(tail, this);
    }

    /// <summary>Characters written so far.</summary>
    public int Length => _length;

    void Grow(int needed)
    {
        var next = new char[Math.Max(_chars.Length * 2, _length + needed)];
        Written.CopyTo(next);
        _chars = next;
    }
}
