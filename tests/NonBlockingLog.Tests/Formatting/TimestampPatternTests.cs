using System.Globalization;
using NonBlockingLog.Formatting;

namespace NonBlockingLog.Tests.Formatting;

/// <summary>A compiled timestamp pattern writes what DateTimeOffset.ToString(format, provider) returns.</summary>
public class TimestampPatternTests
{
    static readonly string[] Formats =
    [
        "yyyy-MM-ddTHH:mm:ss.fffzzz", "yyyy-MM-dd HH:mm:ss.fff zzz", "yyyy-MM-dd HH:mm:ss", "dd/MM/yyyy HH:mm:ss.ffffff",
        "yyyyMMddHHmmssfffffff", "HH:mm:ss.f", "yyyy_MM_dd,HH.mm.ss.ff", "ss.fffffff", "yyyy-MM-ddTHH:mm:ss.ffffzzz",
    ];

    [Theory]
    [InlineData("invariant")]
    [InlineData("de-DE")]
    [InlineData("en-US")]
    [InlineData("fi-FI")]
    [InlineData("null")]
    public void TryFormat_RandomTimestamps_WritesWhatToStringWrites(string culture)
    {
        IFormatProvider? provider = culture switch { "null" => null, "invariant" => CultureInfo.InvariantCulture, _ => CultureInfo.GetCultureInfo(culture) };
        var random = new Random(314);
        Span<char> buffer = stackalloc char[64];
        foreach (var format in Formats)
        {
            var pattern = TimestampPattern.TryCompile(format, provider);
            Assert.NotNull(pattern);
            for (var i = 0; i < 2_000; i++)
            {
                var timestamp = new DateTimeOffset(
                    DateTime.MinValue.Ticks + TimeSpan.TicksPerDay + random.NextInt64(0, DateTime.MaxValue.Ticks - 2 * TimeSpan.TicksPerDay),
                    TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1)));
                Assert.True(pattern.TryFormat(timestamp, buffer, out var written));
                Assert.Equal(timestamp.ToString(format, provider ?? CultureInfo.InvariantCulture), buffer[..written].ToString());
            }
        }
    }

    // Consecutive events mostly fall in the same millisecond, where the pattern copies the last line it wrote: walk
    // time in steps of up to 0.3 ms across millisecond, second, day and offset boundaries.
    [Fact]
    public void TryFormat_CloseTimestamps_WritesWhatToStringWritesAcrossEveryBoundary()
    {
        var random = new Random(2718);
        Span<char> buffer = stackalloc char[64];
        foreach (var format in Formats)
        {
            var pattern = TimestampPattern.TryCompile(format, CultureInfo.InvariantCulture)!;
            var time = new DateTime(2026, 12, 31, 23, 59, 58, 990).AddTicks(random.Next(10_000));
            var offset = TimeSpan.FromHours(2);
            for (var i = 0; i < 30_000; i++)
            {
                time = time.AddTicks(random.Next(0, 3_000));
                if (random.Next(5_000) == 0) offset = TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1));
                var timestamp = new DateTimeOffset(time, offset);
                Assert.True(pattern.TryFormat(timestamp, buffer, out var written));
                Assert.Equal(timestamp.ToString(format, CultureInfo.InvariantCulture), buffer[..written].ToString());
            }
        }
    }

    // A fenced consumer that wakes up may format with the same pattern as its successor.
    [Fact]
    public async Task TryFormat_FromTwoThreadsAtOnce_EachGetsItsOwnTimestamp()
    {
        const string format = "yyyy-MM-ddTHH:mm:ss.fffzzz";
        var pattern = TimestampPattern.TryCompile(format, CultureInfo.InvariantCulture)!;
        var mismatches = 0;
        var threads = Enumerable.Range(0, 2).Select(t => Task.Factory.StartNew(() =>
        {
            var buffer = new char[64];
            var time = new DateTimeOffset(2026, 1, 1 + t, 0, 0, 0, TimeSpan.FromHours(t));
            for (var i = 0; i < 200_000; i++)
            {
                time = time.AddTicks(4_999);
                pattern.TryFormat(time, buffer, out var written);
                if (!buffer.AsSpan(0, written).SequenceEqual(time.ToString(format, CultureInfo.InvariantCulture))) Interlocked.Increment(ref mismatches);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        await Task.WhenAll(threads).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, mismatches);
    }

    [Theory]
    [InlineData("o")]
    [InlineData("yyyy-MM-dd'T'HH")]
    [InlineData("yyyy-MMM-dd")]
    [InlineData("yy-MM-dd")]
    [InlineData("d/M/yyyy")]
    [InlineData("yyyy-MM-dd hh:mm tt")]
    [InlineData(@"yyyy\-MM")]
    [InlineData("HH:mm K")]
    [InlineData("yyyy-MM-ddTHH:mm:ss.FFFzzz")]
    public void TryCompile_FormatWithTextOrVariableWidthFields_LeavesItToTryFormat(string format) =>
        Assert.Null(TimestampPattern.TryCompile(format, CultureInfo.InvariantCulture));

    [Fact]
    public void TryCompile_NonGregorianOrWritableCulture_LeavesItToTryFormat()
    {
        Assert.Null(TimestampPattern.TryCompile("yyyy-MM-dd", CultureInfo.GetCultureInfo("th-TH")));
        Assert.Null(TimestampPattern.TryCompile("yyyy-MM-dd", new CultureInfo("de-DE")));
    }

    [Fact]
    public void TryFormat_BufferTooSmall_ReturnsFalse()
    {
        var pattern = TimestampPattern.TryCompile("yyyy-MM-dd", null)!;
        Assert.False(pattern.TryFormat(DateTimeOffset.UnixEpoch, new char[9], out _));
    }
}
