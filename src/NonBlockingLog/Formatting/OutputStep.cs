using Serilog.Events;

namespace NonBlockingLog.Formatting;

/// <summary>One compiled piece of an output template: writes its part of a line for an event.</summary>
internal abstract class OutputStep
{
    public abstract void Write(LogEvent logEvent, TextWriter output);
}
