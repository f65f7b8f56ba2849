using Serilog.Events;

namespace NonBlockingLog.Formatting;

/// <summary>One compiled piece of an output template: writes its part of a line for an event.</summary>
internal abstract class OutputStep
{
    public abstract void Write(LogEvent logEvent, TextWriter output);

    /// <summary>True if what this step writes comes from the event (so may hold the user's control characters).</summary>
    public virtual bool WritesEventData => false;

    /// <summary>Renders straight to <paramref name="output"/>, or through a scratch buffer when it must be padded.</summary>
    protected static void WriteAligned<TState>(TextWriter output, Serilog.Parsing.Alignment? alignment, TState state, Action<TState, TextWriter> render)
    {
        if (alignment is null)
        {
            render(state, output);
            return;
        }

        var scratch = ScratchWriter.Rent();
        render(state, scratch);
        Padding.Write(output, scratch.GetStringBuilder(), alignment);
        scratch.Return();
    }
}
