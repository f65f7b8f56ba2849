using System.Globalization;
using System.Text;

namespace NonBlockingLog.Formatting.Compact;

/// <summary>
/// Escapes whatever is written to it into a <see cref="JsonLine"/>, as the inside of a JSON string. Serilog
/// renders a message (or one of its tokens) into a string first and then escapes that string; escaping goes
/// character by character, so escaping each piece as it is rendered writes the same, without the string.
/// </summary>
internal sealed class JsonEscapingWriter(JsonLine line) : TextWriter(CultureInfo.InvariantCulture)
{
    public override Encoding Encoding => Encoding.Unicode;

    /// <summary>The line this writes into, for what can be written there unescaped.</summary>
    public JsonLine Line => line;

    public override void Write(char value) => line.WriteEscaped(new ReadOnlySpan<char>(in value));

    public override void Write(string? value)
    {
        if (value is not null) line.WriteEscaped(value);
    }

    public override void Write(char[] buffer, int index, int count) => line.WriteEscaped(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer) => line.WriteEscaped(buffer);
}
