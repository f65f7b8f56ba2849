using System.Globalization;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace NonBlockingLog.Formatting.Compact;

/// <summary>
/// Writes a property value as JSON exactly as Serilog's <see cref="JsonValueFormatter"/> (the class itself, not a
/// subclass) with the same type tag name writes it: sequences, structures and dictionaries walked in the same
/// order, with the same separators, and each scalar by <see cref="ClefScalarWriter"/>. A value type no visitor
/// knows is handed to that JsonValueFormatter itself, which throws as it would have.
/// </summary>
internal sealed class ClefValueWriter
{
    const int KeyLength = 64;

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
                ClefScalarWriter.Write(scalar, line, _library);
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

        Span<char> buffer = stackalloc char[KeyLength];
        if (key is not Enum && ScalarFormat.TryFormat(key, buffer, out var written, default, CultureInfo.CurrentCulture))
            line.WriteJsonString(buffer[..written]);
        else
            line.WriteJsonString(key.ToString());
    }
}
