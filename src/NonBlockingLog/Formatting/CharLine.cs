using System.Text;

namespace NonBlockingLog.Formatting;

/// <summary>
/// One line's characters, collected so that the destination gets a single write per event: a StreamWriter (what
/// Serilog.Sinks.File hands a formatter) does more per call than copying a few characters, and a line that is
/// collected first can also be dropped whole when a part of it throws. A call here is a bounds check and a copy.
/// The text and CLEF lines (<see cref="LineWriter"/>, <see cref="Compact.JsonLine"/>) build on it and are reused
/// per thread.
/// </summary>
internal abstract class CharLine : TextWriter
{
    char[] _chars;
    int _length;

    protected CharLine(int initialCapacity, IFormatProvider? formatProvider = null)
        : base(formatProvider) => _chars = new char[initialCapacity];

    public override Encoding Encoding => Encoding.Unicode;

    /// <summary>The characters collected so far.</summary>
    public ReadOnlySpan<char> Written => _chars.AsSpan(0, _length);

    /// <summary>How many characters are collected: a mark for <see cref="Truncate"/>.</summary>
    public int Length => _length;

    /// <summary>The capacity the buffer has grown to: a reused line keeps it only up to a bound.</summary>
    protected int Capacity => _chars.Length;

    /// <summary>Drops what was written after <paramref name="length"/>.</summary>
    public void Truncate(int length) => _length = length;

    /// <summary>Forgets the line, to be reused.</summary>
    protected void Clear() => _length = 0;

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

    /// <summary>Room for at least <paramref name="length"/> characters after what is written; <see cref="Advance"/> counts what was used.</summary>
    public Span<char> Reserve(int length)
    {
        if (length > _chars.Length - _length) Grow(length);
        return _chars.AsSpan(_length);
    }

    public void Advance(int count) => _length += count;

    void Grow(int needed)
    {
        var next = new char[Math.Max(_chars.Length * 2, _length + needed)];
        Written.CopyTo(next);
        _chars = next;
    }
}
