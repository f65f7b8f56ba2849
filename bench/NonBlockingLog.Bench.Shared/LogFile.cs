using System.Collections;

namespace NonBlockingLog.Bench;

/// <summary>Checks a benchmark's output file, so that a comparison that lost events fails instead of looking fast.</summary>
public static class LogFile
{
    static readonly byte[] Marker = "[INF] Request "u8.ToArray();
    static readonly byte[] Rest = " served in 12.5 ms for alice"u8.ToArray();
    static readonly byte[] ClefMarker = "\",\"@mt\":\"Request {RequestId} served in {Elapsed} ms for {User}\",\"RequestId\":"u8.ToArray();
    static readonly byte[] ClefRest = ",\"Elapsed\":12.5,\"User\":\"alice\"}"u8.ToArray();

    /// <summary>
    /// Throws unless every line of <paramref name="path"/> is a workload line (<see cref="Workload.Log(Serilog.ILogger, int)"/>)
    /// in <paramref name="format"/> and the file holds each request id from <paramref name="firstId"/> to <paramref name="firstId"/> +
    /// <paramref name="expectedEvents"/> exactly once, and nothing else; returns the first line, so that a run's log
    /// shows what each peer wrote.
    /// </summary>
    public static string Verify(string path, int expectedEvents, int firstId = 0, LineFormat format = LineFormat.Text)
    {
        if (!File.Exists(path)) throw new InvalidOperationException($"{path} was not written.");

        var first = File.ReadLines(path).FirstOrDefault() ?? "";
        var seen = new BitArray(expectedEvents);
        long lines = 0, duplicates = 0, outOfRange = 0;
        foreach (var line in Lines(path))
        {
            lines++;
            if (!TryParseRequestId(line.Span, format, out var id))
                throw new InvalidOperationException($"{path} line {lines} is not a workload line: \"{System.Text.Encoding.UTF8.GetString(line.Span)}\".");
            var index = id - firstId;
            if (index < 0 || index >= expectedEvents) outOfRange++;
            else if (seen[(int)index]) duplicates++;
            else seen[(int)index] = true;
        }

        var distinct = lines - duplicates - outOfRange;
        if (lines != expectedEvents || distinct != expectedEvents)
        {
            throw new InvalidOperationException(
                $"{path} has {lines:N0} lines ({distinct:N0} distinct requests, {duplicates:N0} duplicated, {outOfRange:N0} unknown), " +
                $"expected {expectedEvents:N0}: events were lost or duplicated.");
        }

        return first;
    }

    // Text: "<timestamp> [INF] Request <id> served in 12.5 ms for alice", and nothing after.
    // CLEF: {"@t":"<timestamp>","@mt":"Request {RequestId} served in {Elapsed} ms for {User}","RequestId":<id>,"Elapsed":12.5,"User":"alice"}
    static bool TryParseRequestId(ReadOnlySpan<byte> line, LineFormat format, out long id)
    {
        id = 0;
        var (marker, end) = format == LineFormat.Clef ? (ClefMarker, ClefRest) : (Marker, Rest);
        var at = line.IndexOf(marker);
        if (at <= 0 || (format == LineFormat.Clef && !line.StartsWith("{\"@t\":\""u8))) return false;
        var rest = line[(at + marker.Length)..];
        var digits = 0;
        while (digits < rest.Length && rest[digits] is >= (byte)'0' and <= (byte)'9') id = id * 10 + (rest[digits++] - '0');
        return digits > 0 && rest[digits..].SequenceEqual(end);
    }

    // Each line without its ending ('\n' or "\r\n"), read in large blocks; the memory is reused for the next line.
    static IEnumerable<ReadOnlyMemory<byte>> Lines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        var carry = new List<byte>();
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            int newline;
            while ((newline = Array.IndexOf(buffer, (byte)'\n', start, read - start)) >= 0)
            {
                ReadOnlyMemory<byte> line = buffer.AsMemory(start, newline - start);
                if (carry.Count > 0)
                {
                    carry.AddRange(line.Span);
                    line = carry.ToArray();
                    carry.Clear();
                }

                yield return line.Span is [.., (byte)'\r'] ? line[..^1] : line;
                start = newline + 1;
            }

            carry.AddRange(buffer.AsSpan(start, read - start));
        }

        if (carry.Count > 0) yield return carry.ToArray();
    }
}
