using System.Text;
using Serilog.Parsing;

namespace NonBlockingLog.Formatting;

/// <summary>
/// Alignment as Serilog applies it (its internal Padding): a value shorter than the width gets spaces after it
/// (left-aligned, <c>{X,-5}</c>) or before it (<c>{X,5}</c>); a longer one is written whole.
/// </summary>
internal static class Padding
{
    static readonly string Spaces = new(' ', 80);

    public static void Write(TextWriter output, ReadOnlySpan<char> value, Alignment? alignment)
    {
        if (alignment is not { } a || value.Length >= a.Width)
        {
            output.Write(value);
            return;
        }

        if (a.Direction == AlignmentDirection.Left) output.Write(value);
        WriteSpaces(output, a.Width - value.Length);
        if (a.Direction == AlignmentDirection.Right) output.Write(value);
    }

    public static void Write(TextWriter output, StringBuilder value, Alignment? alignment)
    {
        if (alignment is not { } a || value.Length >= a.Width)
        {
            output.Write(value);
            return;
        }

        if (a.Direction == AlignmentDirection.Left) output.Write(value);
        WriteSpaces(output, a.Width - value.Length);
        if (a.Direction == AlignmentDirection.Right) output.Write(value);
    }

    public static void WriteSpaces(TextWriter output, int count)
    {
        while (count > 0)
        {
            var n = Math.Min(count, Spaces.Length);
            output.Write(Spaces.AsSpan(0, n));
            count -= n;
        }
    }
}
