using System.Diagnostics;
using System.Text;
using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Tests.Formatting.Compact;

/// <summary>
/// Deterministic pseudo-random log events (fixed seed) for comparing CLEF formatters, after Support/RandomEvents
/// with what JSON output must get right added: every control character, quotes and backslashes in text, names,
/// type tags and dictionary keys; unicode, surrogate pairs and lone surrogates; NaN and the infinities as double
/// and float; decimals, longs and every unsigned type; chars, GUIDs, enums, dates and times; nested sequences,
/// structures and dictionaries with keys of many types; property names with a leading <c>@</c> (also CLEF's own
/// <c>@t</c>, <c>@mt</c>); null; exceptions, one whose ToString throws; trace and span ids; levels outside the
/// enum; tokens with formats (which make <c>@r</c>) and formats a value rejects; scalars whose ToString throws,
/// and a value type no visitor knows.
/// </summary>
public sealed class ClefEvents(int seed)
{
    static readonly MessageTemplateParser Parser = new();

    static readonly string[] Names =
        ["Name", "Count", "Elapsed", "When", "Id", "Order", "Items", "Map", "Flag", "Kind", "Ratio", "0", "1", "User", "Path"];

    // Property names a template cannot produce, added as properties of their own.
    static readonly string[] OddNames =
        ["@t", "@mt", "@Odd", "@@twice", "@", "quote\"name", "back\\slash", "tab\tname", "ctl\u0001", "日本", "emoji😀", "lone\ud800"];

    static readonly string[] Formats =
    [
        "N2", "0.00", "x8", "X", "yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss.fffzzz", "HH:mm", "D", "G", "F", "l", "j", "u", "w", "R", "E3",
        "P1", "o", "O", "c", "g", "000", "#,##0.##", "N0", "d", "t", "C", "lj", "r", "s", "B", "P", "e", "x", "dd/MM/yyyy",
    ];

    static readonly int?[] Widths = [null, null, null, null, 0, 5, -5, 12, -12, 30, -40];

    static readonly string[] Texts =
    [
        "Request ", " served in ", " ms for ", ", ", "{{literal}}", "}}", " {", "{ not a token }", "{bad name}", "Zoë \"Z\" 日本 ",
        "tab\tnewline\n", "back\\slash ", "{Unclosed", "100% ", "ctl\u0000\u0008\u001f\u007f ", "pair 😀 ", "lone \udc00 ", "\u2028sep ", "",
    ];

    readonly Random _random = new(seed);

    public LogEvent Next()
    {
        var template = Parser.Parse(NextTemplateText());
        var properties = new Dictionary<string, LogEventProperty>();
        foreach (var token in template.Tokens.OfType<PropertyToken>())
        {
            // Some tokens have no value: the rendered message writes their raw text.
            if (_random.Next(8) != 0 && !properties.ContainsKey(token.PropertyName))
                properties[token.PropertyName] = new LogEventProperty(token.PropertyName, NextValue(0, token.Format));
        }

        var extra = _random.Next(4);
        for (var i = 0; i < extra; i++)
        {
            var name = _random.Next(3) == 0 ? Pick(OddNames) : Pick(["SourceContext", "RequestPath", "Extra", "ThreadId"]);
            properties[name] = new LogEventProperty(name, NextValue(0));
        }

        // Serilog binds properties in template order; the formatter must also get events whose properties come
        // in another order.
        IEnumerable<LogEventProperty> bound = properties.Values;
        if (_random.Next(4) == 0) bound = bound.OrderBy(_ => _random.Next()).ToList();

        var level = _random.Next(40) == 0 ? (LogEventLevel)_random.Next(6, 12) : (LogEventLevel)_random.Next(6);
        var exception = _random.Next(8) == 0 ? NextException() : null;
        var timestamp = NextTimestamp();
        return _random.Next(3) switch
        {
            0 => new LogEvent(timestamp, level, exception, template, bound, ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom()),
            1 when _random.Next(4) == 0 => new LogEvent(timestamp, level, exception, template, bound, default, default),
            _ => new LogEvent(timestamp, level, exception, template, bound),
        };
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

    // Mostly a value the token's format suits (so that the rest of the line is written too); sometimes any
    // value, to check that a format the value rejects fails the same way.
    LogEventPropertyValue NextValue(int depth, string? format)
    {
        if (format is null || _random.Next(5) == 0) return NextValue(depth);
        int[] kinds = format switch
        {
            "x8" or "X" or "x" or "D" or "000" => [4, 5, 6, 17, 18, 19, 20, 31, 32],
            "N2" or "0.00" or "E3" or "P1" or "#,##0.##" or "N0" or "C" or "e" or "F" or "G" => [4, 5, 6, 7, 8, 9, 17, 20],
            "R" => [7, 8],
            "c" or "g" => [13],
            "B" or "P" => [14],
            "l" or "j" or "u" or "w" or "lj" => [0, 1, 2, 3, 10, 25],
            _ => [11, 12],
        };
        return NextValue(depth, kinds[_random.Next(kinds.Length)]);
    }

    LogEventPropertyValue NextValue(int depth, int? kindOrAny = null)
    {
        var kind = kindOrAny ?? _random.Next(depth < 2 ? 40 : 34);
        return kind switch
        {
            0 => ScalarValue.Null,
            1 or 2 or 3 => new ScalarValue(NextString()),
            4 => new ScalarValue(_random.Next(int.MinValue, int.MaxValue)),
            5 => new ScalarValue(_random.Next(-1000, 1000)),
            6 => new ScalarValue(_random.Next(3) == 0 ? Pick([long.MinValue, long.MaxValue, 0L]) : _random.NextInt64(long.MinValue, long.MaxValue)),
            7 => new ScalarValue(NextDouble()),
            8 => new ScalarValue((float)NextDouble()),
            9 => new ScalarValue(NextDecimal()),
            10 => new ScalarValue(_random.Next(2) == 0),
            11 => new ScalarValue(new DateTime(NextTicks(), (DateTimeKind)_random.Next(3))),
            12 => new ScalarValue(NextTimestamp()),
            13 => new ScalarValue(TimeSpan.FromTicks(_random.NextInt64(-TimeSpan.TicksPerDay * 3, TimeSpan.TicksPerDay * 3))),
            14 => new ScalarValue(new Guid(Bytes(16))),
            15 => new ScalarValue((DayOfWeek)_random.Next(0, 9)),
            16 => new ScalarValue((FileAttributes)_random.Next(0, 0x4000)),
            17 => new ScalarValue((byte)_random.Next(256)),
            18 => new ScalarValue(_random.Next(3) == 0 ? uint.MaxValue : (uint)_random.NextInt64(0, uint.MaxValue)),
            19 => new ScalarValue(_random.Next(3) == 0 ? ulong.MaxValue : (ulong)_random.NextInt64(0, long.MaxValue) * 2),
            20 => new ScalarValue((short)_random.Next(short.MinValue, short.MaxValue)),
            21 => new ScalarValue((char)_random.Next(0, 128)),
            22 => new ScalarValue(new Uri("https://example.test/a?b=\"c\"&d=\\")),
            23 => new ScalarValue(DateOnly.FromDayNumber(_random.Next(0, 3_000_000))),
            24 => new ScalarValue(new TimeOnly(_random.NextInt64(0, TimeSpan.TicksPerDay))),
            25 => new ShoutingScalar(NextString()),
            26 => new ScalarValue(new Odd(NextString())),
            27 => new ScalarValue((char)_random.Next(0xD7F0, 0xE010)),
            28 => new ScalarValue(_random.Next(60) == 0 ? new ThrowingToString() : new Odd("rare")),
            29 => new ScalarValue(_random.Next(3) == 0 ? (LogEventLevel)42 : (LogEventLevel)_random.Next(6)),
            30 => _random.Next(200) == 0 ? new UnknownValue() : new ScalarValue(Half.CreateTruncating(NextDouble())),
            31 => new ScalarValue((ushort)_random.Next(ushort.MaxValue + 1)),
            32 => new ScalarValue((sbyte)_random.Next(sbyte.MinValue, sbyte.MaxValue + 1)),
            33 => new ScalarValue(_random.Next(2) == 0 ? (object)(nint)_random.Next() : new DateTimeOffset(NextTicks(), TimeSpan.FromMinutes(_random.Next(-840, 841)))),
            34 or 35 => new StructureValue(
                Enumerable.Range(0, _random.Next(0, 4)).Select(i => new LogEventProperty(_random.Next(6) == 0 ? Pick(OddNames) + i : "P" + i, NextValue(depth + 1))),
                _random.Next(3) switch { 0 => null, 1 => "Order", _ => Pick(["Odd\"Tag", "Tag\\\n", "日本"]) }),
            36 or 37 => new SequenceValue(Enumerable.Range(0, _random.Next(0, 4)).Select(_ => NextValue(depth + 1))),
            _ => new DictionaryValue(Enumerable.Range(0, _random.Next(0, 4)).Select(i =>
                new KeyValuePair<ScalarValue, LogEventPropertyValue>(NextKey(i), NextValue(depth + 1))).DistinctBy(e => e.Key)),
        };
    }

    ScalarValue NextKey(int i) => _random.Next(9) switch
    {
        0 => new ScalarValue(i),
        1 => new ScalarValue(NextString() + i),
        2 => new ScalarValue(i * -1.5),
        3 => new ScalarValue(null),
        4 => new ScalarValue(i % 2 == 0),
        5 => new ScalarValue((DayOfWeek)i),
        6 => new ScalarValue(new DateTime(2026, 3, 14, 15, 9, 26).AddDays(i)),
        7 => new ScalarValue(1234567.891m + i),
        _ => new ScalarValue(new Guid(Bytes(16))),
    };

    string NextString() => _random.Next(6) switch
    {
        0 => new string((char)_random.Next(0, 0x30), _random.Next(1, 4)),
        1 => string.Concat(Enumerable.Range(0, _random.Next(1, 12)).Select(_ => (char)_random.Next(0, 0x80))),
        _ => Pick(
        [
            "", "alice", "Zoë \"Z\" 日本", "quote\"in\"side", "back\\slash\\", "line\nbreak\r\n", "tab\there", "form\ffeed", "bell\a\b\v",
            "nul\0char", "\u0001\u001f\u007f\u0080\u009f", "emoji 😀 pair", "lone high \ud83d end", "lone low \ude00", "{braces}", "\u2028\u2029",
            "</script>", "a very long string that is longer than any alignment width used by these templates, ok",
        ]),
    };

    double NextDouble() => _random.Next(14) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        2 => double.NegativeInfinity,
        3 => -0.0,
        4 => 12.5,
        5 => 1e300 * (_random.NextDouble() - 0.5),
        6 => 1e-300 * _random.NextDouble(),
        7 => Math.Round(_random.NextDouble() * 1000 - 500, 2),
        8 => Pick([double.MaxValue, double.MinValue, double.Epsilon, 1e15, 1e16, 123456789.125]),
        _ => (_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-8, 18)),
    };

    decimal NextDecimal() => _random.Next(5) switch
    {
        0 => Pick([decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m, -0.00m, 1.000m]),
        _ => Math.Round((decimal)(_random.NextDouble() * 2_000_000 - 1_000_000), _random.Next(0, 9)),
    };

    DateTimeOffset NextTimestamp()
    {
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

    Exception NextException() => _random.Next(5) switch
    {
        0 => new InvalidOperationException(NextString()),
        1 => new AggregateException("many", new ArgumentException("inner \"arg\"", "param"), new TimeoutException()),
        2 when _random.Next(8) == 0 => Thrown(new IOException("disk\nfull\t\u0001", new UnauthorizedAccessException("denied"))),
        2 => new IOException("disk\nfull\t\u0001", new UnauthorizedAccessException("denied")),
        3 when _random.Next(10) == 0 => new UnprintableException(),
        _ => new FormatException("bad \\ format"),
    };

    static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }

    byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    /// <summary>A ScalarValue subclass that renders itself: JSON ignores Render, a rendered message must call it.</summary>
    sealed class ShoutingScalar(string value) : ScalarValue(value)
    {
        public override void Render(TextWriter output, string? format = null, IFormatProvider? formatProvider = null) =>
            output.Write(value.ToUpperInvariant() + "!\"\n");
    }

    /// <summary>A type neither formatter knows: written as its ToString().</summary>
    sealed class Odd(string text)
    {
        public override string ToString() => "Odd<" + text + ">";
    }

    /// <summary>A scalar whose ToString throws: both formatters must throw the same, after the same output.</summary>
    sealed class ThrowingToString
    {
        public override string ToString() => throw new NotSupportedException("no text");
    }

    /// <summary>An exception whose ToString throws.</summary>
    sealed class UnprintableException() : Exception("unprintable")
    {
        public override string ToString() => throw new InvalidOperationException("ToString failed");
    }

    /// <summary>A property value type that no visitor knows: JsonValueFormatter throws NotSupportedException.</summary>
    sealed class UnknownValue : LogEventPropertyValue
    {
        public override void Render(TextWriter output, string? format = null, IFormatProvider? formatProvider = null) => output.Write("unknown");
    }
}
