using System.Diagnostics;
using System.Text;
using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Tests.Support;

/// <summary>
/// Deterministic pseudo-random log events (fixed seed) for comparing formatters: random message templates (text with
/// escapes, stray braces, control characters and surrogates, property tokens with formats, alignments,
/// destructuring hints, positional names, tokens left without a value), random values of every kind Serilog
/// captures (with the edges of each numeric type, NaN and the infinities), nested structures with odd names and
/// type tags, dictionaries with keys of many types, levels (a few out of range), timestamps with odd offsets,
/// exceptions, extra properties and trace context.
/// </summary>
/// <remarks>
/// Not sealed: a formatter with needs of its own (CLEF's JSON) adds its own scalar kinds, extra properties and
/// exceptions through the protected members, so that both comparisons walk the same generator.
/// </remarks>
public class RandomEvents(int seed)
{
    static readonly MessageTemplateParser Parser = new();

    static readonly string[] Names = ["Name", "Count", "Elapsed", "When", "Id", "Order", "Items", "Map", "Flag", "Kind", "Ratio", "0", "1", "User", "Path"];

    /// <summary>Property names a template cannot produce (also CLEF's own <c>@t</c>, <c>@mt</c>).</summary>
    protected static readonly string[] OddNames =
        ["@t", "@mt", "@Odd", "@@twice", "@", "quote\"name", "back\\slash", "tab\tname", "ctl\u0001", "日本", "emoji😀", "lone\ud800"];

    static readonly string[] Formats =
    [
        "N2", "0.00", "x8", "X", "yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss.fffzzz", "HH:mm", "D", "G", "F", "l", "j", "u", "w", "R", "E3",
        "P1", "o", "O", "c", "g", "000", "#,##0.##", "N0", "d", "t", "C", "lj", "r", "s", "B", "P", "e", "x", "dd/MM/yyyy", "ffffff",
    ];

    static readonly int?[] Widths = [null, null, null, null, 0, 5, -5, 12, -12, 30, -40, 100, -100];

    static readonly string[] Texts =
    [
        "Request ", " served in ", " ms for ", ", ", " and ", "{{literal}}", "}}", " {", " }", "{ not a token }", "{bad name}", "Zoë \"Z\" 日本 ",
        "tab\tnewline\n", "back\\slash ", "{Unclosed", "100% ", "{:x}", "{,5}", " ", "ctl\u0000\u0008\u001f\u007f ", "pair 😀 ", "lone \udc00 ",
        "\u2028sep ", "",
    ];

    static readonly string[] Strings =
    [
        "", "alice", "Zoë \"Z\" 日本", "quote\"in\"side", "back\\slash\\", "line\nbreak\r\n", "tab\there", "form\ffeed", "bell\a", "bell\a\b\v",
        "nul\0char", "\u0001\u001f\u007f", "\u0001\u001f\u007f\u0080\u009f", "emoji 😀", "emoji 😀 pair", "lone high \ud83d end", "lone low \ude00",
        "{braces}", "\u2028\u2029", "</script>", "  padded  ", "x",
        "a very long string that is longer than any alignment width used by these templates, ok",
    ];

    // Value kinds: the scalars every formatter gets (0 to SharedScalarKinds - 1), then a subclass's own scalars,
    // then structures, sequences and dictionaries (two kinds each, so that nesting is common).
    const int SharedScalarKinds = 28;
    const int CompositeKinds = 6;

    /// <summary>Asks <see cref="NextValue"/> for a structure, a sequence or a dictionary.</summary>
    const int AnyComposite = -1;

    protected Random Random { get; } = new(seed);

    /// <summary>How many scalar kinds <see cref="NextOwnScalar"/> makes.</summary>
    protected virtual int OwnScalarKinds => 0;

    public LogEvent Next()
    {
        var template = Parser.Parse(NextTemplateText());
        var properties = new Dictionary<string, LogEventProperty>();
        foreach (var token in template.Tokens.OfType<PropertyToken>())
        {
            // Some tokens have no value: the message writes their raw text.
            if (Random.Next(8) != 0 && !properties.ContainsKey(token.PropertyName))
                properties[token.PropertyName] = new LogEventProperty(token.PropertyName, NextValue(0, KindFor(token.Format)));
        }

        AddPropertiesNotInTheMessage(properties);

        // Serilog binds properties in the template's order under the tokens' own strings; the formatter walks them
        // in that order and must also get events whose properties come in another order or under equal strings.
        IEnumerable<LogEventProperty> bound = properties.Values;
        if (Random.Next(4) == 0) bound = bound.OrderBy(_ => Random.Next()).ToList();
        if (Random.Next(4) == 0) bound = bound.Select(p => new LogEventProperty(new string(p.Name.AsSpan()), p.Value)).ToList();

        var level = Random.Next(40) == 0 ? (LogEventLevel)Random.Next(6, 12) : (LogEventLevel)Random.Next(6);
        var exception = NextExceptionOrNone();
        var timestamp = NextTimestamp();
        return Random.Next(3) switch
        {
            0 => new LogEvent(timestamp, level, exception, template, bound, ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom()),
            1 when Random.Next(4) == 0 => new LogEvent(timestamp, level, exception, template, bound, default, default),
            _ => new LogEvent(timestamp, level, exception, template, bound),
        };
    }

    /// <summary>Properties the message does not name, for {Properties} and the output templates' own tokens.</summary>
    protected virtual void AddPropertiesNotInTheMessage(Dictionary<string, LogEventProperty> properties)
    {
        if (Random.Next(2) == 0) properties["SourceContext"] = new("SourceContext", NextValue(0, Random.Next(4) == 0 ? null : 1));
        if (Random.Next(2) == 0) properties["ThreadId"] = new("ThreadId", NextValue(0, Random.Next(4) == 0 ? null : 4));
        if (Random.Next(2) == 0) properties["RequestPath"] = new("RequestPath", NextValue(0, Random.Next(4) == 0 ? null : 2));
        if (Random.Next(2) == 0) properties["Extra"] = new("Extra", NextValue(0));
    }

    protected virtual Exception? NextExceptionOrNone() => Random.Next(3) != 0 ? null : Random.Next(3) switch
    {
        0 => new InvalidOperationException(NextString()),
        1 => new AggregateException("many", new ArgumentException("inner \"arg\"", "param"), new TimeoutException()),
        _ => new IOException("disk\nfull", new UnauthorizedAccessException("denied")),
    };

    /// <summary>A scalar of the subclass's own kind <paramref name="kind"/> (0 to <see cref="OwnScalarKinds"/> - 1).</summary>
    protected virtual LogEventPropertyValue NextOwnScalar(int kind) => throw new ArgumentOutOfRangeException(nameof(kind));

    string NextTemplateText()
    {
        var text = new StringBuilder();
        var parts = Random.Next(0, 7);
        for (var i = 0; i < parts; i++)
        {
            if (Random.Next(3) == 0)
            {
                text.Append(Pick(Texts));
                continue;
            }

            text.Append('{');
            if (Random.Next(6) == 0) text.Append(Random.Next(2) == 0 ? '@' : '$');
            text.Append(Pick(Names));
            if (Pick(Widths) is { } width) text.Append(',').Append(width);
            if (Random.Next(3) == 0) text.Append(':').Append(Pick(Formats));
            text.Append('}');
            if (Random.Next(2) == 0) text.Append(Pick(Texts));
        }

        return text.ToString();
    }

    // Mostly a value the token's format suits (so the rest of the line is rendered too); sometimes any value, to
    // check that a format a value rejects fails the same way.
    int? KindFor(string? format)
    {
        if (format is null || Random.Next(5) == 0) return null;
        int[] kinds = format switch
        {
            "x8" or "X" or "x" or "D" or "000" => [4, 5, 6, 17, 18, 19, 20, 26, 27],
            "N2" or "0.00" or "E3" or "P1" or "#,##0.##" or "N0" or "C" or "e" or "F" or "G" => [4, 5, 6, 7, 8, 9, 17, 20],
            "R" => [7, 8],
            "c" or "g" => [13],
            "B" or "P" => [14],
            "l" or "j" or "u" or "w" or "lj" => [0, 1, 2, 3, 10, 25, AnyComposite],
            _ => [11, 12],
        };
        return kinds[Random.Next(kinds.Length)];
    }

    protected LogEventPropertyValue NextValue(int depth, int? kindOrAny = null)
    {
        var scalars = SharedScalarKinds + OwnScalarKinds;
        var kind = kindOrAny ?? Random.Next(depth < 2 ? scalars + CompositeKinds : scalars);
        if (kind == AnyComposite) kind = scalars + Random.Next(CompositeKinds);
        if (kind >= scalars) return NextComposite(depth, (kind - scalars) / 2);
        if (kind >= SharedScalarKinds) return NextOwnScalar(kind - SharedScalarKinds);
        return kind switch
        {
            0 => ScalarValue.Null,
            1 or 2 or 3 => new ScalarValue(NextString()),
            4 => new ScalarValue(Random.Next(int.MinValue, int.MaxValue)),
            5 => new ScalarValue(Random.Next(-1000, 1000)),
            6 => new ScalarValue(Random.Next(3) == 0 ? Pick([long.MinValue, long.MaxValue, 0L]) : Random.NextInt64(long.MinValue, long.MaxValue)),
            7 => new ScalarValue(NextDouble()),
            8 => new ScalarValue((float)NextDouble()),
            9 => new ScalarValue(NextDecimal()),
            10 => new ScalarValue(Random.Next(2) == 0),
            11 => new ScalarValue(new DateTime(NextTicks(), (DateTimeKind)Random.Next(3))),
            12 => new ScalarValue(NextTimestamp()),
            13 => new ScalarValue(TimeSpan.FromTicks(Random.NextInt64(-TimeSpan.TicksPerDay * 3, TimeSpan.TicksPerDay * 3))),
            14 => new ScalarValue(new Guid(Bytes(16))),
            15 => new ScalarValue((DayOfWeek)Random.Next(0, 9)),
            16 => new ScalarValue((FileAttributes)Random.Next(0, 0x4000)),
            17 => new ScalarValue((byte)Random.Next(256)),
            18 => new ScalarValue(Random.Next(3) == 0 ? uint.MaxValue : (uint)Random.NextInt64(0, uint.MaxValue)),
            19 => new ScalarValue(Random.Next(3) == 0 ? ulong.MaxValue : (ulong)Random.NextInt64(0, long.MaxValue) * 2),
            20 => new ScalarValue((short)Random.Next(short.MinValue, short.MaxValue)),
            21 => new ScalarValue((char)Random.Next(0, 128)),
            22 => new ScalarValue(new Uri("https://example.test/a?b=\"c\"&d=\\")),
            23 => new ScalarValue(DateOnly.FromDayNumber(Random.Next(0, 3_000_000))),
            24 => new ScalarValue(new TimeOnly(Random.NextInt64(0, TimeSpan.TicksPerDay))),
            25 => new ShoutingScalar(NextString()),
            26 => new ScalarValue((ushort)Random.Next(ushort.MaxValue + 1)),
            _ => new ScalarValue((sbyte)Random.Next(sbyte.MinValue, sbyte.MaxValue + 1)),
        };
    }

    LogEventPropertyValue NextComposite(int depth, int composite) => composite switch
    {
        0 => new StructureValue(
            Enumerable.Range(0, Random.Next(0, 4)).Select(i => new LogEventProperty(Random.Next(6) == 0 ? Pick(OddNames) + i : "P" + i, NextValue(depth + 1))),
            Random.Next(3) switch { 0 => null, 1 => "Order", _ => Pick(["Odd\"Tag", "Tag\\\n", "日本"]) }),
        1 => new SequenceValue(Enumerable.Range(0, Random.Next(0, 4)).Select(_ => NextValue(depth + 1))),
        _ => new DictionaryValue(Enumerable.Range(0, Random.Next(0, 4)).Select(i =>
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(NextKey(i), NextValue(depth + 1))).DistinctBy(e => e.Key)),
    };

    ScalarValue NextKey(int i) => Random.Next(10) switch
    {
        0 => new ScalarValue(i),
        1 => new ScalarValue(NextString() + i),
        2 => new ScalarValue(i * -1.5),
        3 => new ScalarValue(i * 1.5),
        4 => new ScalarValue(null),
        5 => new ScalarValue(i % 2 == 0),
        6 => new ScalarValue((DayOfWeek)i),
        7 => new ScalarValue(new DateTime(2026, 3, 14, 15, 9, 26).AddDays(i)),
        8 => new ScalarValue(1234567.891m + i),
        _ => new ScalarValue(new Guid(Bytes(16))),
    };

    protected string NextString() => Random.Next(6) switch
    {
        0 => new string((char)Random.Next(0, 0x30), Random.Next(1, 4)),
        1 => string.Concat(Enumerable.Range(0, Random.Next(1, 12)).Select(_ => (char)Random.Next(0, 0x80))),
        _ => Pick(Strings),
    };

    protected double NextDouble() => Random.Next(14) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        2 => double.NegativeInfinity,
        3 => -0.0,
        4 => 12.5,
        5 => 1e300 * (Random.NextDouble() - 0.5),
        6 => 1e-300 * Random.NextDouble(),
        7 => Math.Round(Random.NextDouble() * 1000 - 500, 2),
        8 => Pick([double.MaxValue, double.MinValue, double.Epsilon, 1e15, 1e16, 123456789.125]),
        _ => (Random.NextDouble() - 0.5) * Math.Pow(10, Random.Next(-8, 18)),
    };

    decimal NextDecimal() => Random.Next(5) switch
    {
        0 => Pick([decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m, -0.00m, 1.000m]),
        _ => Math.Round((decimal)(Random.NextDouble() * 2_000_000 - 1_000_000), Random.Next(0, 9)),
    };

    DateTimeOffset NextTimestamp()
    {
        // Offsets are whole minutes up to 14 hours; the odd ones (+05:45, -03:30) and 0 come up often.
        var offset = Random.Next(4) switch
        {
            0 => TimeSpan.Zero,
            1 => TimeSpan.FromMinutes(345),
            2 => TimeSpan.FromMinutes(-210),
            _ => TimeSpan.FromMinutes(Random.Next(-14 * 60, 14 * 60 + 1)),
        };
        return new DateTimeOffset(NextTicks(), offset);
    }

    protected long NextTicks() => Random.Next(10) == 0
        ? new DateTime(Random.Next(2, 9998), 1, 1).Ticks + Random.NextInt64(0, TimeSpan.TicksPerDay * 365)
        : new DateTime(1990, 1, 1).Ticks + Random.NextInt64(0, TimeSpan.TicksPerDay * 365 * 60);

    byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        Random.NextBytes(bytes);
        return bytes;
    }

    protected T Pick<T>(T[] items) => items[Random.Next(items.Length)];

    /// <summary>A ScalarValue subclass that renders itself: JSON ignores Render, a rendered message must call it.</summary>
    sealed class ShoutingScalar(string value) : ScalarValue(value)
    {
        public override void Render(TextWriter output, string? format = null, IFormatProvider? formatProvider = null) =>
            output.Write(value.ToUpperInvariant() + "!\"\n");
    }
}
