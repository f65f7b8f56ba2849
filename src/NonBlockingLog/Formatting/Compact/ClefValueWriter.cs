using System.Globalization;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace NonBlockingLog.Formatting.Compact;

/// <summary>
/// Writes a property value as JSON exactly as Serilog's <see cref="JsonValueFormatter"/> (the class itself, not a
/// subclass) with the same type tag name writes it: sequences, structures and dictionaries walked in the same
/// order, with the same separators; strings, numbers, booleans, dates, times, GUIDs and enums formatted straight
/// into the line without a string. A scalar of any other type, and a value type no visitor knows, is handed to
/// that JsonValueFormatter itself, for that value only.
/// </summary>
internal sealed class ClefValueWriter
{
    const int NumberLength = 64;

    static readonly IFormatProvider Invariant = CultureInfo.InvariantCulture;

    readonly JsonValueFormatter _library;
    readonly string? _typeTagMember;

    public ClefValueWriter(JsonValueFormatter library, string? typeTagName)
    {
        _library = library;
        if (typeTagName is not null)
        {
            var quoted = new StringWriter();
            JsonValueFormatter.WriteQuotedJsonString(typeTagName, quoted);
            _typeTagMember = quoted + ":";
        }
    }

    public void Write(LogEventPropertyValue value, JsonLine line)
    {
        // The visitor's order of type tests, so that a subclass goes where Serilog sends it.
        switch (value)
        {
            case ScalarValue scalar:
                WriteScalar(scalar, line);
                return;
            case SequenceValue sequence:
                WriteSequence(sequence, line);
                return;
            case StructureValue structure:
                WriteStructure(structure, line);
                return;
            case DictionaryValue dictionary:
                WriteDictionary(dictionary, line);
                return;
            default:
                _library.Format(value, line);
                return;
        }
    }

    void WriteSequence(SequenceValue sequence, JsonLine line)
    {
        line.Write('[');
        var elements = sequence.Elements;
        for (var i = 0; i < elements.Count; i++)
        {
            if (i > 0) line.Write(',');
            Write(elements[i], line);
        }

        line.Write(']');
    }

    void WriteStructure(StructureValue structure, JsonLine line)
    {
        line.Write('{');
        var properties = structure.Properties;
        for (var i = 0; i < properties.Count; i++)
        {
            if (i > 0) line.Write(',');
            var property = properties[i];
            line.WriteName(property.Name, doubleAt: false);
            Write(property.Value, line);
        }

        if (_typeTagMember is not null && structure.TypeTag is { } typeTag)
        {
            // Serilog writes its separator as a nullable char: nothing before the tag of a structure without properties.
            if (properties.Count > 0) line.Write(',');
            line.Write(_typeTagMember);
            line.WriteJsonString(typeTag);
        }

        line.Write('}');
    }

    void WriteDictionary(DictionaryValue dictionary, JsonLine line)
    {
        line.Write('{');
        var first = true;

        // Serilog's DictionaryValue holds a Dictionary: its own enumerator visits the same entries in the same
        // order as the interface's, without allocating one.
        if (dictionary.Elements is Dictionary<ScalarValue, LogEventPropertyValue> elements)
        {
            foreach (var (key, value) in elements) WriteEntry(key, value, line, ref first);
        }
        else
        {
            foreach (var (key, value) in dictionary.Elements) WriteEntry(key, value, line, ref first);
        }

        line.Write('}');
    }

    void WriteEntry(ScalarValue key, LogEventPropertyValue value, JsonLine line, ref bool first)
    {
        if (!first) line.Write(',');
        first = false;
        WriteKey(key.Value, line);
        line.Write(':');
        Write(value, line);
    }

    // Serilog writes (key.Value ?? "null").ToString(): the current culture's default format. For the BCL types
    // TryFormat with no format and the current culture writes what that ToString() returns.
    static void WriteKey(object? key, JsonLine line)
    {
        switch (key)
        {
            case null:
                line.Write("\"null\"");
                return;
            case string text:
                line.WriteJsonString(text);
                return;
        }

        Span<char> buffer = stackalloc char[NumberLength];
        if (key is not Enum && ScalarFormat.TryFormat(key, buffer, out var written, default, CultureInfo.CurrentCulture))
            line.WriteJsonString(buffer[..written]);
        else
            line.WriteJsonString(key.ToString());
    }

    // As JsonValueFormatter.FormatLiteralValue, type by type.
    void WriteScalar(ScalarValue scalar, JsonLine line)
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
            case int v when v.TryFormat(line.Reserve(NumberLength), out written, default, Invariant):
                line.Advance(written);
                return;
            case long v when v.TryFormat(line.Reserve(NumberLength), out written, default, Invariant):
                line.Advance(written);
                return;
            case double v:
                WriteDouble(v, line);
                return;
            case bool v:
                line.Write(v ? "true" : "false");
                return;
            case decimal v when v.TryFormat(line.Reserve(NumberLength), out written, default, Invariant):
                line.Advance(written);
                return;
            case uint v when v.TryFormat(line.Reserve(NumberLength), out written, default, Invariant):
                line.Advance(written);
                return;
            case ulong v when v.TryFormat(line.Reserve(NumberLength), out written, default, Invariant):
                line.Advance(written);
                return;
            case short v when v.TryFormat(line.Reserve(NumberLength), out written, default, Invariant):
                line.Advance(written);
                return;
            case ushort v when v.TryFormat(line.Reserve(NumberLength), out written, default, Invariant):
                line.Advance(written);
                return;
            case byte v when v.TryFormat(line.Reserve(NumberLength), out written, default, Invariant):
                line.Advance(written);
                return;
            case sbyte v when v.TryFormat(line.Reserve(NumberLength), out written, default, Invariant):
                line.Advance(written);
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
                _library.Format(scalar, line);
                return;
        }
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
