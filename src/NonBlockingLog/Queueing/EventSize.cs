using System.Runtime.CompilerServices;
using Serilog.Events;

namespace NonBlockingLog.Queueing;

/// <summary>
/// A cheap estimate of the memory an event keeps alive while it waits in the queue, made on the caller's path in
/// the one walk over its properties: strings at two bytes a character, a fixed cost per property, value and
/// exception. Only events estimated at <see cref="LargeThreshold"/> or more count against the queue's byte limit:
/// ordinary events are bounded by the queue's capacity alone, and touch no shared counter. Made once per event, when
/// it enters the queue: the queue keeps the figure with the event and subtracts that same figure when it leaves.
/// Never throws: it runs on the application's thread, and reads what the application controls.
/// </summary>
internal static class EventSize
{
    /// <summary>Events below this estimate are not counted in bytes.</summary>
    public const int LargeThreshold = 1024;

    const int EventOverhead = 256;
    const int PropertyOverhead = 48;
    const int ValueOverhead = 24;
    const int ExceptionOverhead = 2048;

    // Nested values beyond this depth are counted at a fixed cost each, so that a deep structure costs a bounded walk.
    const int MaxDepth = 4;

    // What an event is counted at when it cannot be measured (its properties changed while being walked): large,
    // so that it is counted, and no larger than the threshold, since nothing says it is.
    const int UnmeasuredSize = LargeThreshold;

    /// <summary>The estimate, or 0 if it is below <see cref="LargeThreshold"/>.</summary>
    public static long OfLarge(LogEvent logEvent)
    {
        long size;
        try
        {
            size = Estimate(logEvent);
        }
        catch (Exception)
        {
            // A dictionary of properties that another thread changes while it is walked; the estimate must not throw.
            size = UnmeasuredSize;
        }

        return size >= LargeThreshold ? size : 0;
    }

    static long Estimate(LogEvent logEvent)
    {
        long size = EventOverhead;
        if (logEvent.Exception is { } exception) size += OfException(exception);

        // Serilog keeps an event's properties in a Dictionary: its struct enumerator walks them without allocating.
        // The common value, a ScalarValue, is measured in the loop itself.
        if (logEvent.Properties is Dictionary<string, LogEventPropertyValue> properties)
        {
            // Over the pairs, not .Values: that would allocate a collection object on each event's dictionary.
            foreach (var (_, value) in properties)
            {
                size += PropertyOverhead + (value.GetType() == typeof(ScalarValue)
                    ? ValueOverhead + (Unsafe.As<ScalarValue>(value).Value is string s ? 2L * s.Length : 0)
                    : Of(value, 0));
            }
        }
        else
        {
            foreach (var property in logEvent.Properties) size += PropertyOverhead + Of(property.Value, 0);
        }

        return size;
    }

    // Message is the application's code (an exception type may override it) and may throw: then the exception is
    // counted at its fixed cost alone.
    [MethodImpl(MethodImplOptions.NoInlining)]
    static long OfException(Exception exception)
    {
        try
        {
            return ExceptionOverhead + 2L * (exception.Message?.Length ?? 0);
        }
        catch (Exception)
        {
            return ExceptionOverhead;
        }
    }

    static long Of(LogEventPropertyValue value, int depth)
    {
        if (value is ScalarValue scalar) return scalar.Value is string s ? ValueOverhead + 2L * s.Length : ValueOverhead;
        if (depth >= MaxDepth) return ValueOverhead;
        long size = ValueOverhead;
        switch (value)
        {
            case SequenceValue sequence:
                for (var i = 0; i < sequence.Elements.Count; i++) size += Of(sequence.Elements[i], depth + 1);
                break;
            case StructureValue structure:
                for (var i = 0; i < structure.Properties.Count; i++) size += PropertyOverhead + Of(structure.Properties[i].Value, depth + 1);
                break;
            case DictionaryValue dictionary:
                foreach (var (key, element) in dictionary.Elements) size += Of(key, depth + 1) + Of(element, depth + 1);
                break;
        }

        return size;
    }
}
