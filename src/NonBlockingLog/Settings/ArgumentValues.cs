using System.Reflection;

namespace NonBlockingLog.Settings;

/// <summary>
/// The arguments Serilog.Settings.Configuration would pass to a <see cref="SinkMethod"/>: each parameter's
/// default, replaced by the converted configuration value where one is given.
/// </summary>
internal sealed class ArgumentValues
{
    /// <summary>Stands for a value only Serilog.Settings.Configuration builds (wrapped sinks, a formatter): the rules only ask whether it is there.</summary>
    public static readonly object Given = new();

    /// <summary>Stands for a value the reader resolves itself ("Type::Member"): the rules cannot check it.</summary>
    public static readonly object Unknown = new();

    readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    public ArgumentValues(IEnumerable<ParameterInfo> parameters)
    {
        foreach (var p in parameters) _values[p.Name!] = p.HasDefaultValue ? p.DefaultValue : null;
    }

    public void Set(ParameterInfo parameter, object? value) => _values[parameter.Name!] = value;

    /// <summary>A missing value of a value type reads as its default, as reflection passes it to the method.</summary>
    public T Get<T>(string parameter) => Read(parameter) switch
    {
        T typed => typed,
        null => default!,
        // Reflection may report an enum parameter's default as its underlying number.
        var number when typeof(T).IsEnum => (T)Enum.ToObject(typeof(T), number),
        var other => throw new InvalidOperationException($"{parameter} holds a {other.GetType()}, not a {typeof(T)}."),
    };

    object? Read(string parameter) => _values.TryGetValue(parameter, out var value)
        ? value
        : throw new InvalidOperationException($"{parameter} is not a parameter of the sink method; the rules and the method disagree.");
}
