using System.Diagnostics.CodeAnalysis;
using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Formatting;

/// <summary>
/// Finds the value of each property token of an event's message template, token after token. Serilog binds an
/// event's properties in the order of its template's property tokens, under the tokens' own name strings, and its
/// dictionary keeps that order: walking the entries alongside the tokens finds each value without hashing its
/// name (the lookups were a large share of rendering a message). The first entry that is not the token's name ends
/// the walk, and every later token is looked up by name. A mutable struct: keep it in a local.
/// </summary>
internal struct TemplatePropertyWalk
{
    readonly IReadOnlyDictionary<string, LogEventPropertyValue> _properties;
    Dictionary<string, LogEventPropertyValue>.Enumerator _entries;
    bool _inOrder;

    public TemplatePropertyWalk(IReadOnlyDictionary<string, LogEventPropertyValue> properties)
    {
        _properties = properties;
        var dictionary = properties as Dictionary<string, LogEventPropertyValue>;
        _inOrder = dictionary is not null;
        _entries = _inOrder ? dictionary!.GetEnumerator() : default;
    }

    /// <summary>The value of <paramref name="token"/>, the next property token of the template; false if the event has none.</summary>
    public bool TryNext(PropertyToken token, [NotNullWhen(true)] out LogEventPropertyValue? value)
    {
        if (_inOrder && _entries.MoveNext() && _entries.Current.Key == token.PropertyName)
        {
            value = _entries.Current.Value;
            return true;
        }

        _inOrder = false;
        return _properties.TryGetValue(token.PropertyName, out value);
    }
}
