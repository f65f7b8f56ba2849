using NonBlockingLog.Formatting.Compact;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;

namespace NonBlockingLog.Tests.Formatting.Compact;

/// <summary>The library's formatters, their compiled counterparts, and comparing two formatters on one event.</summary>
internal static class ClefAssert
{
    public const int Seed = 20_261_130;

    public static ITextFormatter Library(bool rendered) => rendered ? new RenderedCompactJsonFormatter() : new CompactJsonFormatter();

    /// <summary>The ClefFormatter that <see cref="ClefFormatterSelection"/> puts in the library formatter's place.</summary>
    public static ClefFormatter Compile(ITextFormatter library, bool rendered)
    {
        var compiled = Assert.IsType<ClefFormatter>(ClefFormatterSelection.Select(library));
        Assert.Equal(rendered, compiled.IsRendered);
        return compiled;
    }

    /// <summary>Formats <paramref name="count"/> events from <see cref="ClefEvents"/>(<paramref name="seed"/>) with both and compares each.</summary>
    public static void SameOutput(ITextFormatter expected, ITextFormatter actual, int seed, int count, string what)
    {
        var events = new ClefEvents(seed);
        for (var i = 0; i < count; i++) SameOutput(expected, actual, events.Next(), $"{what}, event {i}");
    }

    /// <summary>The same text; where the library throws, the same exception type and no text at all (a line is whole or not written).</summary>
    public static void SameOutput(ITextFormatter expected, ITextFormatter actual, LogEvent e, string what)
    {
        var (expectedText, expectedError) = Run(w => expected.Format(e, w));
        var (actualText, actualError) = Run(w => actual.Format(e, w));
        if (expectedError is not null) expectedText = "";
        if (expectedText != actualText || expectedError != actualError)
        {
            Assert.Fail($"{what}, message template \"{e.MessageTemplate.Text}\":\nexpected ({expectedError ?? "no error"}):\n{expectedText}\n" +
                        $"actual ({actualError ?? "no error"}):\n{actualText}");
        }
    }

    public static (string Text, string? Error) Run(Action<StringWriter> format)
    {
        var output = new StringWriter();
        try
        {
            format(output);
            return (output.ToString(), null);
        }
        catch (Exception ex)
        {
            return (output.ToString(), ex.GetType().Name);
        }
    }
}
