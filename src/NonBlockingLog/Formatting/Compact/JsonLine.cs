using System.Buffers;
using System.Globalization;

namespace NonBlockingLog.Formatting.Compact;

/// <summary>
/// A CLEF line (<see cref="CharLine"/>), with what JSON needs: strings escaped as Serilog's
/// JsonValueFormatter escapes them, numbers formatted straight into the buffer, and a way back to an earlier
/// length when a part that Serilog would have built aside (a rendered message) throws half-way. Reused per thread.
/// </summary>
internal sealed class JsonLine : CharLine
{
    const int InitialCapacity = 512;
    const int MaxRetainedCapacity = 32 * 1024;

    // What WriteQuotedJsonString escapes: the control characters below 32, the quote and the backslash. Nothing
    // else (DEL, non-ASCII, surrogates) is escaped.
    static readonly SearchValues<char> s_escaped = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\"\\");

    [ThreadStatic]
    static JsonLine? t_cached;

    JsonEscapingWriter? _escaping;

    JsonLine()
        : base(InitialCapacity, CultureInfo.InvariantCulture)
    {
    }

    /// <summary>A writer that JSON-escapes what it is given into this line (no quotes added).</summary>
    public JsonEscapingWriter Escaping => _escaping ??= new JsonEscapingWriter(this);

    public static JsonLine Rent()
    {
        var line = t_cached ?? new JsonLine();
        t_cached = null;
        return line;
    }

    public void Return()
    {
        Clear();
        if (Capacity <= MaxRetainedCapacity) t_cached = this;
    }

    /// <summary>Writes what Serilog's <c>JsonValueFormatter.WriteQuotedJsonString</c> writes: the text in quotes, escaped.</summary>
    public void WriteJsonString(ReadOnlySpan<char> text)
    {
        // Most text needs no escape: one search, and the quotes and text in one copy.
        if (IsClean(text))
        {
            var room = Reserve(text.Length + 2);
            room[0] = '"';
            text.CopyTo(room[1..]);
            room[text.Length + 1] = '"';
            Advance(text.Length + 2);
            return;
        }

        Write('"');
        WriteEscaped(text);
        Write('"');
    }

    /// <summary><c>"name":</c>, the name escaped, and a leading '@' doubled when <paramref name="doubleAt"/> (CLEF's rule for property names).</summary>
    public void WriteName(string name, bool doubleAt)
    {
        var at = doubleAt && name.Length > 0 && name[0] == '@' ? 1 : 0;
        if (IsClean(name))
        {
            var room = Reserve(name.Length + at + 3);
            room[0] = '"';
            if (at == 1) room[1] = '@';
            name.CopyTo(room[(1 + at)..]);
            room[name.Length + at + 1] = '"';
            room[name.Length + at + 2] = ':';
            Advance(name.Length + at + 3);
            return;
        }

        Write('"');
        if (at == 1) Write('@');
        WriteEscaped(name);
        Write("\":");
    }

    /// <summary>True when <paramref name="text"/> has nothing a JSON string must escape.</summary>
    public static bool IsClean(ReadOnlySpan<char> text) => !text.ContainsAny(s_escaped);

    /// <summary>The text escaped as in a JSON string, without the quotes.</summary>
    public void WriteEscaped(ReadOnlySpan<char> text)
    {
        int at;
        while ((at = text.IndexOfAny(s_escaped)) >= 0)
        {
            Write(text[..at]);
            WriteEscape(text[at]);
            text = text[(at + 1)..];
        }

        Write(text);
    }

    void WriteEscape(char c)
    {
        switch (c)
        {
            case '"': Write("\\\""); break;
            case '\\': Write("\\\\"); break;
            case '\n': Write("\\n"); break;
            case '\r': Write("\\r"); break;
            case '\f': Write("\\f"); break;
            case '\t': Write("\\t"); break;
            default:
                // Serilog writes ((int)c).ToString("X4"): upper-case hex.
                var escape = Reserve(6);
                escape[0] = '\\';
                escape[1] = 'u';
                ((int)c).TryFormat(escape[2..], out _, "X4", CultureInfo.InvariantCulture);
                Advance(6);
                break;
        }
    }
}
