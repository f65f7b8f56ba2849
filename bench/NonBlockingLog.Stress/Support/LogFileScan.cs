using System.Text;
using NonBlockingLog.Bench.Reporting;

namespace NonBlockingLog.Stress.Support;

/// <summary>
/// What a log file actually holds, read back byte by byte: complete caller lines (ending in a newline and
/// well-formed), distinct events among them, drop notices, torn or merged lines, and a torn tail. This is the
/// ground truth the sink's Written count is checked against.
/// </summary>
internal sealed class LogFileScan
{
    static readonly byte[] Marker = Encoding.ASCII.GetBytes("] Stress event ");
    static readonly byte[] ProducerMarker = Encoding.ASCII.GetBytes(" from producer ");
    static readonly byte[] NoticeMarker = Encoding.ASCII.GetBytes("[WRN] NonBlockingLog sink ");

    /// <summary>Complete, well-formed caller lines, duplicates included.</summary>
    public long EventLines { get; private set; }

    /// <summary>Distinct caller events among <see cref="EventLines"/>; only counted when asked for.</summary>
    public long DistinctEvents { get; private set; }

    public long NoticeLines { get; private set; }

    /// <summary>Complete lines that are neither: a partial write that the next line was appended to.</summary>
    public long TornLines { get; private set; }

    /// <summary>Bytes after the last newline: a line cut off mid-write.</summary>
    public long TailBytes { get; private set; }

    public long Bytes { get; private set; }

    public static LogFileScan Read(string path, bool distinct)
    {
        var scan = new LogFileScan();
        if (!File.Exists(path)) return scan;

        var seen = distinct ? new HashSet<long>() : null;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        var carry = new List<byte>();
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            scan.Bytes += read;
            var span = buffer.AsSpan(0, read);
            int newline;
            while ((newline = span.IndexOf((byte)'\n')) >= 0)
            {
                if (carry.Count > 0)
                {
                    carry.AddRange(span[..newline]);
                    scan.Classify([.. carry], seen);
                    carry.Clear();
                }
                else
                {
                    scan.Classify(span[..newline], seen);
                }

                span = span[(newline + 1)..];
            }

            carry.AddRange(span);
        }

        scan.TailBytes = carry.Count;
        scan.DistinctEvents = seen?.Count ?? 0;
        return scan;
    }

    void Classify(ReadOnlySpan<byte> line, HashSet<long>? seen)
    {
        if (TryParseEvent(line, out var key))
        {
            EventLines++;
            seen?.Add(key);
        }
        else if (line.IndexOf(NoticeMarker) > 0)
        {
            NoticeLines++;
        }
        else
        {
            TornLines++;
        }
    }

    // "<timestamp> [INF] Stress event <seq> from producer <producer>", and nothing after: a torn line that the
    // next one was appended to has its own timestamp in the middle and fails here.
    static bool TryParseEvent(ReadOnlySpan<byte> line, out long key)
    {
        key = 0;
        var at = line.IndexOf(Marker);
        if (at < 0 || at < 5 || !line[(at - 4)..at].SequenceEqual("[INF"u8)) return false;
        if (line[..(at - 4)].IndexOf((byte)'[') >= 0) return false;
        var rest = line[(at + Marker.Length)..];
        if (!TryParseNumber(ref rest, out var seq) || !rest.StartsWith(ProducerMarker)) return false;
        rest = rest[ProducerMarker.Length..];
        if (!TryParseNumber(ref rest, out var producer) || !rest.IsEmpty) return false;
        key = StressEvent.Key((int)producer, seq);
        return true;
    }

    static bool TryParseNumber(ref ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        var digits = 0;
        while (digits < text.Length && text[digits] is >= (byte)'0' and <= (byte)'9')
        {
            value = value * 10 + (text[digits] - '0');
            digits++;
        }

        text = text[digits..];
        return digits > 0;
    }

    public string Describe() =>
        $"{Format.Count(EventLines)} event lines ({Format.Count(DistinctEvents)} distinct), {Format.Count(NoticeLines)} notices, " +
        $"{Format.Count(TornLines)} torn, {Format.Count(TailBytes)} B torn tail";
}
