using Serilog.Events;

namespace NonBlockingLog.Formatting;

/// <summary>Text that is the same for every event: the template's literal text, and <c>{NewLine}</c> (padded once).</summary>
internal sealed class TextStep(string text) : OutputStep
{
    public string Text { get; } = text;

    public override void Write(LogEvent logEvent, TextWriter output) => output.Write(Text);
}
