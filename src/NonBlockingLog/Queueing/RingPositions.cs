using System.Runtime.InteropServices;

namespace NonBlockingLog.Queueing;

/// <summary>
/// A ring's head and tail, each on its own cache lines: writers hammer one, the reader the other. Outside the
/// generic type because the runtime refuses explicit layout on generic types.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 384)]
internal struct RingPositions
{
    [FieldOffset(128)] public long Tail;
    [FieldOffset(256)] public long Head;
}
