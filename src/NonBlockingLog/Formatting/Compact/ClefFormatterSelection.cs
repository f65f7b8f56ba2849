using System.Reflection;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Json;

namespace NonBlockingLog.Formatting.Compact;

/// <summary>
/// Puts <see cref="ClefFormatter"/> in the place of Serilog.Formatting.Compact's CompactJsonFormatter or
/// RenderedCompactJsonFormatter, however the formatter was configured (<c>new CompactJsonFormatter()</c> in code,
/// or its type name in appsettings.json, which Serilog.Settings.Configuration turns into the same instance).
/// Anything it cannot vouch for keeps the formatter it was given: a subclass of either (which may format
/// differently), a value formatter that is a subclass of JsonValueFormatter (which may override any value's
/// JSON), and a version of the package other than the one ClefFormatter is proven against.
/// </summary>
internal static class ClefFormatterSelection
{
    /// <summary>The major version of Serilog.Formatting.Compact whose output ClefFormatter reproduces.</summary>
    public const int ProvenMajorVersion = 3;

    /// <summary>A ClefFormatter writing what <paramref name="formatter"/> writes, or <paramref name="formatter"/> itself.</summary>
    public static ITextFormatter Select(ITextFormatter formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);

        // By name first, so that any other formatter is returned without Serilog.Formatting.Compact being loaded.
        return formatter.GetType().FullName switch
        {
            "Serilog.Formatting.Compact.CompactJsonFormatter" => Library.TryCompile(formatter, rendered: false) ?? formatter,
            "Serilog.Formatting.Compact.RenderedCompactJsonFormatter" => Library.TryCompile(formatter, rendered: true) ?? formatter,
            _ => formatter,
        };
    }

    static class Library
    {
        const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic;

        // Serilog.Formatting.Compact 3 keeps the value formatter in a private field and offers no way to read it.
        static readonly FieldInfo? s_compactValueFormatter = typeof(CompactJsonFormatter).GetField("_valueFormatter", Instance);
        static readonly FieldInfo? s_renderedValueFormatter = typeof(RenderedCompactJsonFormatter).GetField("_valueFormatter", Instance);
        static readonly FieldInfo? s_typeTagName = typeof(JsonValueFormatter).GetField("_typeTagName", Instance);
        static readonly bool s_isProvenVersion = typeof(CompactJsonFormatter).Assembly.GetName().Version?.Major == ProvenMajorVersion;

        public static ClefFormatter? TryCompile(ITextFormatter formatter, bool rendered)
        {
            var type = rendered ? typeof(RenderedCompactJsonFormatter) : typeof(CompactJsonFormatter);
            if (!s_isProvenVersion || formatter.GetType() != type) return null;
            var field = rendered ? s_renderedValueFormatter : s_compactValueFormatter;
            if (field?.GetValue(formatter) is not JsonValueFormatter valueFormatter) return null;
            if (valueFormatter.GetType() != typeof(JsonValueFormatter)) return null;
            if (s_typeTagName is null || s_typeTagName.FieldType != typeof(string)) return null;
            return new ClefFormatter(rendered, valueFormatter, (string?)s_typeTagName.GetValue(valueFormatter));
        }
    }
}
