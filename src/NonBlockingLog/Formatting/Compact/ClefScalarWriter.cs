using System.Globalization;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace NonBlockingLog.Formatting.Compact;

/// <summary>
/// Writes a scalar as JSON exactly as Serilog's <see cref="JsonValueFormatter"/> writes it: strings, numbers,
/// booleans, chars, dates, times, GUIDs and enums formatted straight into the line without a string (Serilog's
/// own cases, and the ToString() it writes for a GUID or an enum); any other type through the JsonValueFormatter
/// itself, for that value only.
/// </summary>
internal static class ClefScalarWriter
{
    const int NumberLength = 64;

    static readonly IFormatProvider Invariant = CultureInfo.InvariantCulture;

    // As JsonValueFormatter.FormatLiteralValue, type by type.
    public static void Write(ScalarValue scalar, JsonLine line, JsonValueFormatter library)
    {
        int written;
        switch (scalar.Value)
        {
            case null:
                line.Write("null");
                return;
            case string text:
                line.WriteJsonString(text);
                return;
            case int v when TryWriteNumber(v, line):
                return;
            case long v when TryWriteNumber(v, line):
                return;
            case double v:
                WriteDouble(v, line);
                return;
            case bool v:
                line.Write(v ? "true" : "false");
                return;
            case decimal v when TryWriteNumber(v, line):
                return;
            case uint v when TryWriteNumber(v, line):
                return;
            case ulong v when TryWriteNumber(v, line):
                return;
            case short v when TryWriteNumber(v, line):
                return;
            case ushort v when TryWriteNumber(v, line):
                return;
            case byte v when TryWriteNumber(v, line):
                return;
            case sbyte v when TryWriteNumber(v, line):
                return;
            case float v:
                WriteFloat(v, line);
                return;
            case char v:
                line.WriteJsonString(new ReadOnlySpan<char>(in v));
                return;
            case DateTime v when v.TryFormat(QuotedRoom(line), out written, "O"):
                WriteQuotedInPlace(line, written);
                return;
            case DateTimeOffset v when v.TryFormat(QuotedRoom(line), out written, "O"):
                WriteQuotedInPlace(line, written);
                return;
            case TimeSpan v when v.TryFormat(QuotedRoom(line), out written):
                WriteQuotedInPlace(line, written);
                return;
            // Not in JsonValueFormatter's list: it writes their ToString(), which for a Guid is the "D" format,
            // and for an enum its name (or number).
            case Guid v when v.TryFormat(QuotedRoom(line), out written):
                WriteQuotedInPlace(line, written);
                return;
            case Enum v:
                line.WriteJsonString(v.ToString());
                return;
            default:
                library.Format(scalar, line);
                return;
        }
    }

    // Generic over the number's type, so each is formatted without boxing.
    static bool TryWriteNumber<T>(T value, JsonLine line) where T : ISpanFormattable
    {
        if (!value.TryFormat(line.Reserve(NumberLength), out var written, default, Invariant)) return false;
        line.Advance(written);
        return true;
    }

    static void WriteDouble(double value, JsonLine line)
    {
        // Serilog writes NaN and the infinities as JSON strings, their invariant ToString().
        if (double.IsNaN(value)) line.Write("\"NaN\"");
        else if (double.IsPositiveInfinity(value)) line.Write("\"Infinity\"");
        else if (double.IsNegativeInfinity(value)) line.Write("\"-Infinity\"");
        else if (ShortDecimal.TryFormat(value, line.Reserve(NumberLength), out var written)) line.Advance(written);
        else if (value.TryFormat(line.Reserve(NumberLength), out written, "R", Invariant)) line.Advance(written);
        else line.Write(value.ToString("R", Invariant));
    }

    static void WriteFloat(float value, JsonLine line)
    {
        if (float.IsNaN(value)) line.Write("\"NaN\"");
        else if (float.IsPositiveInfinity(value)) line.Write("\"Infinity\"");
        else if (float.IsNegativeInfinity(value)) line.Write("\"-Infinity\"");
        else if (value.TryFormat(line.Reserve(NumberLength), out var written, "R", Invariant)) line.Advance(written);
        else line.Write(value.ToString("R", Invariant));
    }

    // Room after the line's end for a value between quotes: it is formatted one character in, and at most
    // two characters short of what is reserved, so that both quotes fit without the line growing (which would
    // leave the value behind).
    static Span<char> QuotedRoom(JsonLine line) => line.Reserve(NumberLength)[1..(NumberLength - 1)];

    static void WriteQuotedInPlace(JsonLine line, int written)
    {
        var room = line.Reserve(written + 2);
        room[0] = '"';
        room[written + 1] = '"';
        line.Advance(written + 2);
    }
}
