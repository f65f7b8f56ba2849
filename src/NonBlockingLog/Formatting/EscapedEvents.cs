using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Formatting;

/// <summary>
/// A copy of an event with every control character in its data escaped (<see cref="ControlCharacters"/>): the
/// message template's text, property names (an enricher's or a pushed property's may come from user input), string
/// values at any depth with structure member names, type tags and dictionary keys, and the exception's text. For
/// formatters that NonBlockingLog does not compile itself (Serilog's, ExpressionTemplate, a custom one) and for
/// wrapped sinks. An event with nothing to escape, by far the most common, is returned as it is, without allocating.
/// </summary>
internal static class EscapedEvents
{
    static readonly MessageTemplateParser s_parser = new();

    public static LogEvent Of(LogEvent logEvent)
    {
        var template = logEvent.MessageTemplate;
        var escapeTemplate = ControlCharacters.IndexOfAny(template.Text) >= 0;
        var exception = logEvent.Exception is { } ex ? EscapedException.Of(ex) : null;
        List<LogEventProperty>? properties = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var escapedName = ControlCharacters.Escape(name);
            var escaped = Escape(value);
            if (properties is null && ReferenceEquals(escaped, value) && ReferenceEquals(escapedName, name)) continue;
            if (properties is null)
            {
                properties = new List<LogEventProperty>(logEvent.Properties.Count);
                foreach (var (earlierName, earlierValue) in logEvent.Properties)
                {
                    if (earlierName == name) break;
                    properties.Add(new LogEventProperty(earlierName, earlierValue));
                }
            }

            properties.Add(new LogEventProperty(escapedName, escaped));
        }

        if (!escapeTemplate && properties is null && ReferenceEquals(exception, logEvent.Exception)) return logEvent;
        var newTemplate = escapeTemplate ? s_parser.Parse(ControlCharacters.Escape(template.Text)) : template;
        properties ??= logEvent.Properties.Select(p => new LogEventProperty(p.Key, p.Value)).ToList();
        return new LogEvent(logEvent.Timestamp, logEvent.Level, exception, newTemplate, properties, logEvent.TraceId ?? default, logEvent.SpanId ?? default);
    }

    static LogEventPropertyValue Escape(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string s }:
                var escaped = ControlCharacters.Escape(s);
                return ReferenceEquals(escaped, s) ? value : new ScalarValue(escaped);
            case ScalarValue { Value: char c }:
                return ControlCharacters.IndexOfAny([c]) < 0 ? value : new ScalarValue(ControlCharacters.Escape(c.ToString()));
            case ScalarValue { Value: { } other } when !other.GetType().IsPrimitive && other is not (decimal or DateTime or DateTimeOffset or TimeSpan or Guid or Enum):
                // An object captured as is prints by its ToString(), which may hold anything.
                var text = other.ToString() ?? "";
                return ControlCharacters.IndexOfAny(text) < 0 ? value : new ScalarValue(ControlCharacters.Escape(text));
            case SequenceValue sequence:
                var elements = EscapeAll(sequence.Elements, Escape);
                return elements is null ? value : new SequenceValue(elements);
            case StructureValue structure:
                var typeTag = structure.TypeTag is { } tag ? ControlCharacters.Escape(tag) : null;
                var members = EscapeAll(structure.Properties, EscapeMember);
                return members is null && ReferenceEquals(typeTag, structure.TypeTag) ? value : new StructureValue(members ?? structure.Properties, typeTag);
            case DictionaryValue dictionary:
                var changed = false;
                var entries = new List<KeyValuePair<ScalarValue, LogEventPropertyValue>>(dictionary.Elements.Count);
                foreach (var (key, element) in dictionary.Elements)
                {
                    var k = (ScalarValue)Escape(key);
                    var v = Escape(element);
                    changed |= !ReferenceEquals(k, key) || !ReferenceEquals(v, element);
                    entries.Add(new(k, v));
                }

                return changed ? new DictionaryValue(entries) : value;
            default:
                return value;
        }
    }

    // Null when nothing changed.
    static List<T>? EscapeAll<T>(IReadOnlyList<T> items, Func<T, T> escape) where T : class
    {
        List<T>? result = null;
        for (var i = 0; i < items.Count; i++)
        {
            var escaped = escape(items[i]);
            if (result is null && ReferenceEquals(escaped, items[i])) continue;
            result ??= [.. items.Take(i)];
            result.Add(escaped);
        }

        return result;
    }

    static LogEventProperty EscapeMember(LogEventProperty member)
    {
        var name = ControlCharacters.Escape(member.Name);
        var value = Escape(member.Value);
        return ReferenceEquals(name, member.Name) && ReferenceEquals(value, member.Value) ? member : new LogEventProperty(name, value);
    }
}
