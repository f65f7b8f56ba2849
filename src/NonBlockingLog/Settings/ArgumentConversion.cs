using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Serilog.Configuration;
using Serilog.Core;

namespace NonBlockingLog.Settings;

/// <summary>
/// Converts one configuration value to a parameter's type the way Serilog.Settings.Configuration 10 does
/// (its StringArgumentValue), so that the validator accepts exactly what ReadFrom.Configuration accepts; where
/// it would fail, says what form a valid value has, naming the setting.
/// </summary>
internal static partial class ArgumentConversion
{
    const string DurationForm = "a duration such as \"00:00:00.100\" (hh:mm:ss, optionally with days d. before and a fraction .fff after)";

    /// <summary>
    /// Returns null and the converted value, or what a valid value is. levelSwitches holds the switch names
    /// declared under the section's LevelSwitches, each with its leading $.
    /// </summary>
    public static string? TryConvert(IConfigurationSection argument, ParameterInfo parameter, IReadOnlySet<string> levelSwitches, out object? value)
    {
        value = null;
        var name = parameter.Name!;
        var type = parameter.ParameterType;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        var isScalarType = underlying.IsEnum || underlying.IsPrimitive || underlying == typeof(TimeSpan) || underlying == typeof(string);

        if (argument.Value is null)
        {
            // A key without a value reaches the method as null, or as the default of a value type.
            if (!argument.GetChildren().Any()) return null;
            if (isScalarType) return $"{name} must be a single value, not a list or an object.";
            value = ArgumentValues.Given;
            return null;
        }

        var text = Environment.ExpandEnvironmentVariables(argument.Value);
        if (type == typeof(LoggingLevelSwitch))
        {
            value = ArgumentValues.Given;
            return levelSwitches.Contains(text) ? null
                : $"{name} must name a switch declared under LevelSwitches, such as \"$appSwitch\" for \"LevelSwitches\": {{ \"$appSwitch\": \"Information\" }}; \"{text}\" is not declared.";
        }

        if (underlying != type && text.Length == 0) return null;
        if (underlying.IsEnum)
            return Enum.TryParse(underlying, text, ignoreCase: true, out value) ? null
                : $"{name} must be one of {string.Join(", ", Enum.GetNames(underlying))} (in any letter case); \"{text}\" is not one.";
        if (underlying == typeof(TimeSpan))
            // TimeSpan.Parse(string), as the settings reader calls it: the current culture.
            return TimeSpan.TryParse(text, CultureInfo.CurrentCulture, out var duration) ? Set(out value, duration)
                : $"{name} must be {DurationForm}; \"{text}\" is not one.";
        if (underlying == typeof(string)) return Set(out value, text);

        // "Namespace.Type::Member, Assembly" names a static member, which the reader resolves (or fails on) itself.
        if (StaticMember().IsMatch(text))
        {
            value = isScalarType ? ArgumentValues.Unknown : ArgumentValues.Given;
            return null;
        }

        if (underlying == typeof(int))
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? Set(out value, i)
                : $"{name} must be a whole number{Example(parameter)}; \"{text}\" is not one.";
        if (underlying == typeof(long))
            return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? Set(out value, l)
                : $"{name} must be a whole number{Example(parameter)}; \"{text}\" is not one.";
        if (underlying == typeof(bool))
            return bool.TryParse(text, out var b) ? Set(out value, b) : $"{name} must be true or false; \"{text}\" is not one.";

        value = ArgumentValues.Given;
        if (type == typeof(Action<LoggerSinkConfiguration>))
            return $"{name} must be a list of sinks, such as [ {{ \"Name\": \"File\", \"Args\": {{ \"path\": \"logs/app.log\" }} }} ].";
        if (type.IsInterface || type.IsAbstract) return CheckTypeName(name, type, text);
        return null;
    }

    // An interface or abstract parameter (formatter, formatProvider, encoding) may name a type with a
    // parameterless constructor, which the reader then creates.
    static string? CheckTypeName(string name, Type parameterType, string text)
    {
        var example = $"{name} must name a type that implements {parameterType.Name} and has a parameterless constructor"
            + (parameterType == typeof(IFormatProvider) ? "" : $", such as \"{ExampleType(parameterType)}\"");
        if (string.IsNullOrWhiteSpace(text)) return example + ".";

        Type? type;
        try
        {
            type = FindType(text.Trim());
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or BadImageFormatException or TypeLoadException)
        {
            return $"{example}; \"{text}\" could not be loaded: {ex.Message}";
        }

        if (type is null) return $"{example}; type \"{text}\" was not found.";
        if (!type.IsAssignableTo(parameterType)) return $"{example}; {type.FullName} does not implement {parameterType.Name}.";
        var hasParameterlessConstructor = type.GetTypeInfo().DeclaredConstructors
            .Any(c => !c.IsStatic && c.GetParameters().All(p => p.HasDefaultValue));
        return hasParameterlessConstructor ? null : $"{example}; {type.FullName} has no parameterless constructor.";
    }

    // As the reader looks a type up: its full name, or a name in the Serilog assembly.
    static Type? FindType(string typeName) =>
        Type.GetType(typeName) ?? (typeName.Contains(',', StringComparison.Ordinal) ? null : Type.GetType($"{typeName}, Serilog"));

    static string ExampleType(Type parameterType) =>
        parameterType == typeof(System.Text.Encoding) ? "System.Text.UTF8Encoding"
        : "Serilog.Formatting.Compact.CompactJsonFormatter, Serilog.Formatting.Compact";

    static string Example(ParameterInfo parameter) =>
        parameter.DefaultValue is int or long ? $", such as {Convert.ToString(parameter.DefaultValue, CultureInfo.InvariantCulture)}" : "";

    [GeneratedRegex("^(?<shortTypeName>[^:]+)::(?<memberName>[A-Za-z][A-Za-z0-9]*)(?<typeNameExtraQualifiers>[^:]*)$")]
    private static partial Regex StaticMember();

    static string? Set(out object? target, object value)
    {
        target = value;
        return null;
    }
}
