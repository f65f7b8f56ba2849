using System.Buffers;
using System.Globalization;

namespace NonBlockingLog.Formatting;

/// <summary>
/// What <c>escapeControlCharacters</c> escapes in text that comes from an event (property values, the rendered
/// message, the exception): every character that can end a line or hide in one (the C0 controls but tab, DEL, NEL,
/// and the Unicode line and paragraph separators), written as <c>\r</c>, <c>\n</c> or <c>\uXXXX</c>. So user input
/// can never start a line of its own in a text log: no forged entries. Backslashes are left as they are, so that
/// paths stay readable; an escape in the log is therefore not proof that the value held a control character.
/// </summary>
internal static class ControlCharacters
{
    static readonly SearchValues<char> s_escaped = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\n\u000b\f\r\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f" +
        "\u007f\u0085\u2028\u2029");

    /// <summary>The index of the first character to escape, or -1.</summary>
    public static int IndexOfAny(ReadOnlySpan<char> text) => text.IndexOfAny(s_escaped);

    /// <summary><paramref name="text"/> with every control character escaped (the same string when there is none).</summary>
    public static string Escape(string text)
    {
        var first = IndexOfAny(text);
        if (first < 0) return text;
        var output = new StringWriter(CultureInfo.InvariantCulture);
        output.Write(text.AsSpan(0, first));
        WriteEscaped(text.AsSpan(first), output);
        return output.ToString();
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="output"/> with every control character escaped.</summary>
    public static void WriteEscaped(ReadOnlySpan<char> text, TextWriter output)
    {
        while (true)
        {
            var next = IndexOfAny(text);
            if (next < 0)
            {
                output.Write(text);
                return;
            }

            output.Write(text[..next]);
            WriteEscape(text[next], output);
            text = text[(next + 1)..];
        }
    }

    static void WriteEscape(char c, TextWriter output)
    {
        switch (c)
        {
            case '\n':
                output.Write("\\n");
                break;
            case '\r':
                output.Write("\\r");
                break;
            default:
                Span<char> hex = stackalloc char[6];
                hex[0] = '\\';
                hex[1] = 'u';
                ((int)c).TryFormat(hex[2..], out _, "x4", CultureInfo.InvariantCulture);
                output.Write(hex);
                break;
        }
    }
}
