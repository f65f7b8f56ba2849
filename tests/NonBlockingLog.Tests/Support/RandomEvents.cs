using System.Diagnostics;
using System.Text;
using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Tests.Support;

/// <summary>
/// Deterministic pseudo-random log events (fixed seed) for comparing formatters: random message templates (text with
/// escapes and stray braces, property tokens with formats, alignments, destructuring hints, positional names,
/// tokens left without a value), random values of every kind Serilog captures, levels (a few out of range),
/// timestamps with odd offsets, exceptions, extra properties and trace context.
/// </summary>
public sealed class RandomEvents(int seed)
{
    static readonly MessageTemplateParser Parser = new();

    static readonly string[] Names = ["Name", "Count", "Elapsed", "When", "Id", "Order", "Items", "Map", "Flag", "Kind", "Ratio", "0", "1", "User", "Path"];

    static readonly string[] Formats =
    [
        "N2", "0.00", "x8", "X", "yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss.fffzzz", "HH:mm", "D", "G", "F", "l", "j", "u", "w", "R", "E3",
        "P1", "o", "O", "c", "g", "000", "#,##0.##", "N0", "d", "t", "C", "lj", "r", "s", "B", "P", "e", "x", "dd/MM/yyyy", "ffffff",
    ];

    static readonly int?[] Widths = [null, null, null, null, 0, 5, -5, 12, -12, 30, -40, 100, -100];

    static readonly string[] Texts =
    [
        "Request ", " served in ", " ms for ", ", ", " and ", "{{literal}}", "}}", " {", " }", "{ not a token }", "{bad name}", "Zoë \"Z\" 日本 ",
        "tab\tnewline\n", "back\\slash ", "{Unclosed", "100% ", "{:x}", "{,5}", " ", "",
    ];

    static readonly string[] Strings =
    [
        "", "alice", "Zoë \"Z\" 日本", "quote\"in\"side", "back\\slash\\", "line\nbreak\r\n", "tab\there", "form\ffeed", "bell\a",
        "nul\0char", "\u0001\u001f\u007f", "emoji 😀", "{braces}", "  padded  ", "x", "a very long string that is longer than any alignment width used by these templates, ok",
    ];

    readonly Random _random = new(seed);

    public LogEvent Next()
    {
        var template = Parser.Parse(NextTemplateText());
        var properties = new Dictionary<string, LogEventProperty>();
        foreach (var token in template.Tokens.OfType<PropertyToken>())
        {
            // Some tokens have no value: the message writes their raw text.
            if (_random.Next(8) != 0 && !properties.ContainsKey(token.PropertyName))
                properties[token.PropertyName] = new LogEventProperty(token.PropertyName, NextValue(0, KindFor(token.Format)));
        }

        // Properties the message does not name, for {Properties} and the output templates' own tokens.
        if (_random.Next(2) == 0) properties["SourceContext"] = new("SourceContext", NextValue(0, _random.Next(4) == 0 ? null : 1));
        if (_random.Next(2) == 0) properties["ThreadId"] = new("ThreadId", NextValue(0, _random.Next(4) == 0 ? null : 4));
        if (_random.Next(2) == 0) properties["RequestPath"] = new("RequestPath", NextValue(0, _random.Next(4) == 0 ? null : 2));
        if (_random.Next(2) == 0) properties["Extra"] = new("Extra", NextValue(0, KindFor(null)));

        // Serilog binds properties in the template's order under the tokens' own strings; the formatter walks them
        // in that order and must also get events whose properties come in another order or under equal strings.
        IEnumerable<LogEventProperty> bound = properties.Values;
        if (_random.Next(4) == 0) bound = bound.OrderBy(_ => _random.Next()).ToList();
        if (_random.Next(4) == 0) bound = bound.Select(p => new LogEventProperty(new string(p.Name.AsSpan()), p.Value)).ToList();

        var level = _random.Next(40) == 0 ? (LogEventLevel)_random.Next(6, 12) : (LogEventLevel)_random.Next(6);
        var exception = _random.Next(3) == 0 ? NextException() : null;
        var timestamp = NextTimestamp();
        if (_random.Next(4) == 0)
        {
            return new LogEvent(timestamp, level, exception, template, bound,
                ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());
        }

        return new LogEvent(timestamp, level, exception, template, bound);
    }

    string NextTemplateText()
    {
        var text = new StringBuilder();
        var parts = _random.Next(0, 7);
        for (var i = 0; i < parts; i++)
        {
            if (_random.Next(3) == 0)
            {
                text.Append(Pick(Texts));
                continue;
            }

            text.Append('{');
            if (_random.Next(6) == 0) text.Append(_random.Next(2) == 0 ? '@' : '$');
            text.Append(Pick(Names));
            if (Pick(Widths) is { } width) text.Append(',').Append(width);
            if (_random.Next(3) == 0) text.Append(':').Append(Pick(Formats));
            text.Append('}');
            if (_random.Next(2) == 0) text.Append(Pick(Texts));
        }

        return text.ToString();
    }

    // Mostly a value the token's format suits (so the rest of the line is rendered too); sometimes any value, to
    // check that a format a value rejects fails the same way.
    int? KindFor(string? format)
    {
        if (format is null || _random.Next(5) == 0) return null;
        int[] kinds = format switch
        {
            "x8" or "X" or "x" or "D" or "000" => [4, 5, 6, 17, 18, 19, 20],
            "N2" or "0.00" or "E3" or "P1" or "#,##0.##" or "N0" or "C" or "e" or "F" or "G" => [4, 5, 6, 7, 8, 9, 17, 20],
            "R" => [7, 8],
            "c" or "g" => [13],
            "B" or "P" => [14],
            "l" or "j" or "u" or "w" or "lj" => [0, 1, 2, 3, 10, 25, 26, 28, 29],
            _ => [11, 12],
        };
        return kinds[_random.Next(kinds.Length)];
    }

    LogEventPropertyValue NextValue(int depth, int? kindOrAny = null)
    {
        var kind = kindOrAny ?? _random.Next(depth < 2 ? 30 : 26);
        return kind switch
        {
            0 => ScalarValue.Null,
            1 or 2 or 3 => new ScalarValue(Pick(Strings)),
            4 => new ScalarValue(_random.Next(int.MinValue, int.MaxValue)),
            5 => new ScalarValue(_random.Next(-1000, 1000)),
            6 => new ScalarValue(_random.NextInt64(long.MinValue, long.MaxValue)),
            7 => new ScalarValue(NextDouble()),
            8 => new ScalarValue((float)NextDouble()),
            9 => new ScalarValue(Math.Round((decimal)(_random.NextDouble() * 2_000_000 - 1_000_000), _random.Next(0, 6))),
            10 => new ScalarValue(_random.Next(2) == 0),
            11 => new ScalarValue(new DateTime(NextTicks(), (DateTimeKind)_random.Next(3))),
            12 => new ScalarValue(NextTimestamp()),
            13 => new ScalarValue(TimeSpan.FromTicks(_random.NextInt64(-TimeSpan.TicksPerDay * 3, TimeSpan.TicksPerDay * 3))),
            14 => new ScalarValue(new Guid(Bytes(16))),
            15 => new ScalarValue((DayOfWeek)_random.Next(0, 9)),
            16 => new ScalarValue((FileAttributes)_random.Next(0, 0x4000)),
            17 => new ScalarValue((byte)_random.Next(256)),
            18 => new ScalarValue((uint)_random.NextInt64(0, uint.MaxValue)),
            19 => new ScalarValue((ulong)_random.NextInt64(0, long.MaxValue) * 2),
            20 => new ScalarValue((short)_random.Next(short.MinValue, short.MaxValue)),
            21 => new ScalarValue((char)_random.Next(0, 128)),
            22 => new ScalarValue(new Uri("https://example.test/a?b=\"c\"")),
            23 => new ScalarValue(DateOnly.FromDayNumber(_random.Next(0, 3_000_000))),
            24 => new ScalarValue(new TimeOnly(_random.NextInt64(0, TimeSpan.TicksPerDay))),
            25 => new ShoutingScalar(Pick(Strings)),
            26 or 27 => new StructureValue(
                Enumerable.Range(0, _random.Next(0, 4)).Select(i => new LogEventProperty("P" + i, NextValue(depth + 1))),
                _random.Next(2) == 0 ? null : "Order"),
            28 => new SequenceValue(Enumerable.Range(0, _random.Next(0, 4)).Select(_ => NextValue(depth + 1))),
            _ => new DictionaryValue(Enumerable.Range(0, _random.Next(0, 4)).Select(i =>
                new KeyValuePair<ScalarValue, LogEventPropertyValue>(
                    _random.Next(3) switch { 0 => new ScalarValue(i), 1 => new ScalarValue(Pick(Strings) + i), _ => new ScalarValue(i * 1.5) },
                    NextValue(depth + 1)))),
        };
    }

    double NextDouble() => _random.Next(12) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        2 => double.NegativeInfinity,
        3 => -0.0,
        4 => 12.5,
        5 => 1e300 * (_random.NextDouble() - 0.5),
        6 => 1e-300 * _random.NextDouble(),
        7 => Math.Round(_random.NextDouble() * 1000 - 500, 2),
        _ => (_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-5, 15)),
    };

    DateTimeOffset NextTimestamp()
    {
        // Offsets are whole minutes up to 14 hours; the odd ones (+05:45, -03:30) and 0 come up often.
        var offset = _random.Next(4) switch
        {
            0 => TimeSpan.Zero,
            1 => TimeSpan.FromMinutes(345),
            2 => TimeSpan.FromMinutes(-210),
            _ => TimeSpan.FromMinutes(_random.Next(-14 * 60, 14 * 60 + 1)),
        };
        return new DateTimeOffset(NextTicks(), offset);
    }

    long NextTicks() => _random.Next(10) == 0
        ? new DateTime(_random.Next(2, 9998), 1, 1).Ticks + _random.NextInt64(0, TimeSpan.TicksPerDay * 365)
        : new DateTime(1990, 1, 1).Ticks + _random.NextInt64(0, TimeSpan.TicksPerDay * 365 * 60);

    Exception NextException() => _random.Next(3) switch
    {
        0 => new InvalidOperationException(Pick(Strings)),
        1 => new AggregateException("many", new ArgumentException("inner \"arg\"", "param"), new TimeoutException()),
        _ => new IOException("disk\nfull", new UnauthorizedAccessException("denied")),
    };

    byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    /// <summary>A ScalarValue subclass that renders itself: a formatter must call its Render, not guess.</summary>
    sealed class ShoutingScalar(string value) : ScalarValue(value)
    {
        public override void Render(TextWriter output, string? format = null, IFormatProvider? formatProvider = null) =>
            output.Write(((string)Value!).ToUpperInvariant() + "!");
    }
}
