using System.Runtime.CompilerServices;
using Serilog.Events;

namespace NonBlockingLog.Formatting.Compact;

/// <summary>
/// The <see cref="ClefTemplate"/> of recently seen message templates, by reference: Serilog parses a template
/// string once and hands every event logged with it the same MessageTemplate object. A fixed table where each
/// template has one slot, replaced on a collision: bounded whatever the application logs, and safe for any number
/// of threads without a lock, since a slot only ever holds a whole immutable entry.
/// </summary>
internal sealed class ClefTemplateCache
{
    const int Slots = 256;

    readonly ClefTemplate?[] _slots = new ClefTemplate?[Slots];

    public ClefTemplate Get(MessageTemplate template)
    {
        ref var slot = ref _slots[RuntimeHelpers.GetHashCode(template) & (Slots - 1)];
        var entry = Volatile.Read(ref slot);
        if (entry is not null && ReferenceEquals(entry.Template, template)) return entry;

        entry = new ClefTemplate(template);
        Volatile.Write(ref slot, entry);
        return entry;
    }
}
