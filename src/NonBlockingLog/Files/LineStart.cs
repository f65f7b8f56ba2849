using System.Text;

namespace NonBlockingLog.Files;

/// <summary>
/// Makes sure the next event starts on a line of its own in a file that was left with an incomplete last line (a
/// process killed in the middle of a write, a disk that filled up under another writer), so that the torn line
/// stays alone and every event after it is whole.
/// </summary>
internal static class LineStart
{
    /// <summary>
    /// If the file at <paramref name="path"/> is not empty and does not end with a line feed in
    /// <paramref name="encoding"/>, writes a new line to <paramref name="stream"/> (open on that file, at its end).
    /// </summary>
    public static void Ensure(string path, Stream stream, Encoding encoding)
    {
        var length = stream.Length;
        var lineFeed = encoding.GetBytes("\n");
        if (length == 0 || length < lineFeed.Length || EndsWith(path, length, lineFeed) || IsPreambleOnly(path, length, encoding)) return;
        var newLine = encoding.GetBytes(Environment.NewLine);
        stream.Write(newLine, 0, newLine.Length);
    }

    static bool EndsWith(string path, long length, byte[] tail)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        file.Seek(length - tail.Length, SeekOrigin.Begin);
        Span<byte> last = stackalloc byte[tail.Length];
        file.ReadExactly(last);
        return last.SequenceEqual(tail);
    }

    static bool IsPreambleOnly(string path, long length, Encoding encoding)
    {
        var preamble = encoding.Preamble;
        if (preamble.Length == 0 || length != preamble.Length) return false;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> start = stackalloc byte[preamble.Length];
        file.ReadExactly(start);
        return start.SequenceEqual(preamble);
    }
}
