using System.Globalization;

namespace NonBlockingLog.Formatting;

/// <summary>
/// Formats the common scalar types into a span with TryFormat, which writes what their
/// ToString(format, formatProvider) returns, without the string. Only BCL types are listed: for them the two are
/// the same code. Anything else (and a value that does not fit) returns false, and the caller lets Serilog render it.
/// </summary>
internal static class ScalarFormat
{
    public static bool TryFormat(object value, Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider provider)
    {
        switch (value)
        {
            case int v: return v.TryFormat(destination, out charsWritten, format, provider);
            case long v: return v.TryFormat(destination, out charsWritten, format, provider);
            // No format is "G", which for a double is the shortest round-trip form, as "R" is.
            case double v when (format.IsEmpty || format is "R" or "G") && ReferenceEquals(provider, CultureInfo.InvariantCulture) &&
                               ShortDecimal.TryFormat(v, destination, out charsWritten):
                return true;
            case double v: return v.TryFormat(destination, out charsWritten, format, provider);
            case decimal v: return v.TryFormat(destination, out charsWritten, format, provider);
            case float v: return v.TryFormat(destination, out charsWritten, format, provider);
            case DateTime v: return v.TryFormat(destination, out charsWritten, format, provider);
            case DateTimeOffset v: return v.TryFormat(destination, out charsWritten, format, provider);
            case TimeSpan v: return v.TryFormat(destination, out charsWritten, format, provider);
            case Guid v: return v.TryFormat(destination, out charsWritten, format);
            case short v: return v.TryFormat(destination, out charsWritten, format, provider);
            case byte v: return v.TryFormat(destination, out charsWritten, format, provider);
            case uint v: return v.TryFormat(destination, out charsWritten, format, provider);
            case ulong v: return v.TryFormat(destination, out charsWritten, format, provider);
            case ushort v: return v.TryFormat(destination, out charsWritten, format, provider);
            case sbyte v: return v.TryFormat(destination, out charsWritten, format, provider);
            case Enum v: return ((ISpanFormattable)v).TryFormat(destination, out charsWritten, format, provider);
            default:
                charsWritten = 0;
                return false;
        }
    }

    /// <summary>The JSON number Serilog's JsonValueFormatter writes for an integer or decimal: invariant, default format.</summary>
    public static bool TryFormatExactNumber(object value, Span<char> destination, out int charsWritten)
    {
        var invariant = CultureInfo.InvariantCulture;
        switch (value)
        {
            case int v: return v.TryFormat(destination, out charsWritten, default, invariant);
            case long v: return v.TryFormat(destination, out charsWritten, default, invariant);
            case decimal v: return v.TryFormat(destination, out charsWritten, default, invariant);
            case uint v: return v.TryFormat(destination, out charsWritten, default, invariant);
            case ulong v: return v.TryFormat(destination, out charsWritten, default, invariant);
            case short v: return v.TryFormat(destination, out charsWritten, default, invariant);
            case byte v: return v.TryFormat(destination, out charsWritten, default, invariant);
            case ushort v: return v.TryFormat(destination, out charsWritten, default, invariant);
            case sbyte v: return v.TryFormat(destination, out charsWritten, default, invariant);
            default:
                charsWritten = 0;
                return false;
        }
    }
}
