using System.Globalization;
using NonBlockingLog.Formatting;

namespace NonBlockingLog.Tests.Formatting;

/// <summary>ShortDecimal writes exactly .NET's shortest round-trip form of the doubles it takes, and declines the rest.</summary>
public class ShortDecimalTests
{
    [Fact]
    public void TryFormat_ShortDecimalsAndOtherDoubles_WritesWhatToStringRWrites()
    {
        var random = new Random(2718);
        var taken = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var value = (i % 4) switch
            {
                // Short decimals: m / 10^k with 1 to 12 digits, k from 0 to 4 (4 places, and 1e9 or more, must be declined).
                0 or 1 => ShortDecimalOf(random),
                2 => BitConverter.Int64BitsToDouble(random.NextInt64()),
                _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-8, 12)),
            };
            if (Check(value)) taken++;
        }

        // Most of the short decimals take the fast path: it is used, not just correct.
        Assert.InRange(taken, 40_000, 100_000);
    }

    static double ShortDecimalOf(Random random)
    {
        var limit = (long)Math.Pow(10, random.Next(1, 13));
        return random.NextInt64(-limit, limit) / Math.Pow(10, random.Next(0, 5));
    }

    [Theory]
    [InlineData(12.5)]
    [InlineData(-12.5)]
    [InlineData(0.001)]
    [InlineData(-0.001)]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.7)]
    [InlineData(1.005)]
    [InlineData(2.675)]
    [InlineData(42)]
    [InlineData(100)]
    [InlineData(1200)]
    [InlineData(999_999_999.999)]
    [InlineData(999_999_999)]
    [InlineData(123_456_789.125)]
    [InlineData(1e9)]
    [InlineData(0.0001)]
    [InlineData(0.0)]
    [InlineData(double.Epsilon)]
    [InlineData(double.MaxValue)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(0.1 + 0.2)]
    public void TryFormat_EdgeValue_WritesWhatToStringRWritesOrDeclines(double value) => Check(value);

    [Fact]
    public void TryFormat_NegativeZero_Declines() => Assert.False(ShortDecimal.TryFormat(-0.0, new char[8], out _));

    static bool Check(double value)
    {
        Span<char> buffer = stackalloc char[64];
        if (!ShortDecimal.TryFormat(value, buffer, out var written)) return false;
        var text = buffer[..written].ToString();
        Assert.Equal(value.ToString("R", CultureInfo.InvariantCulture), text);
        Assert.Equal(value.ToString(CultureInfo.InvariantCulture), text);
        return true;
    }
}
