using System.Globalization;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Json;

namespace NonBlockingLog.Tests.Formatting.Compact;

/// <summary>
/// The same differential as <see cref="CompactJsonDifferentialTests"/>, for what the output also depends on: the
/// current culture (dictionary keys are written with it) and the value formatter's type tag name.
/// </summary>
public class ClefVariationTests
{
    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    [InlineData("th-TH")]
    [InlineData("ar-SA")]
    [InlineData("")]
    public void Format_InAnotherCurrentCulture_WritesWhatTheLibraryWrites(string culture)
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            foreach (var rendered in new[] { false, true })
            {
                var expected = ClefAssert.Library(rendered);
                var actual = ClefAssert.Compile(expected, rendered);
                ClefAssert.SameOutput(expected, actual, ClefAssert.Seed + culture.Length, 3_000, $"{culture}, rendered {rendered}");
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("_typeTag")]
    [InlineData("")]
    [InlineData("odd \"tag\"\n")]
    public void Format_WithAnotherTypeTagName_WritesWhatTheLibraryWrites(string? typeTagName)
    {
        foreach (var rendered in new[] { false, true })
        {
            var valueFormatter = new JsonValueFormatter(typeTagName);
            ITextFormatter expected = rendered ? new RenderedCompactJsonFormatter(valueFormatter) : new CompactJsonFormatter(valueFormatter);
            var actual = ClefAssert.Compile(expected, rendered);
            ClefAssert.SameOutput(expected, actual, ClefAssert.Seed - 1, 2_000, $"type tag {typeTagName}, rendered {rendered}");
        }
    }
}
