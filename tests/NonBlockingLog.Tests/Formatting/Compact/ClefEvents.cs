using NonBlockingLog.Tests.Support;
using Serilog.Events;

namespace NonBlockingLog.Tests.Formatting.Compact;

/// <summary>
/// Deterministic pseudo-random log events (fixed seed) for comparing CLEF formatters: <see cref="RandomEvents"/>
/// with what JSON output must get right added: extra properties under names a template cannot produce (a leading
/// <c>@</c>, CLEF's own <c>@t</c>, <c>@mt</c>, quotes, control characters, lone surrogates); surrogate chars,
/// levels, <see cref="Half"/>, <see cref="nint"/> and DateTimeOffsets with any offset as scalars; scalars whose
/// ToString throws and a value type no visitor knows; exceptions that were thrown, and one whose ToString throws.
/// </summary>
public sealed class ClefEvents(int seed) : RandomEvents(seed)
{
    protected override int OwnScalarKinds => 6;

    protected override void AddPropertiesNotInTheMessage(Dictionary<string, LogEventProperty> properties)
    {
        var extra = Random.Next(4);
        for (var i = 0; i < extra; i++)
        {
            var name = Random.Next(3) == 0 ? Pick(OddNames) : Pick(["SourceContext", "RequestPath", "Extra", "ThreadId"]);
            properties[name] = new LogEventProperty(name, NextValue(0));
        }
    }

    protected override LogEventPropertyValue NextOwnScalar(int kind) => kind switch
    {
        0 => new ScalarValue(new Odd(NextString())),
        1 => new ScalarValue((char)Random.Next(0xD7F0, 0xE010)),
        2 => new ScalarValue(Random.Next(60) == 0 ? new ThrowingToString() : new Odd("rare")),
        3 => new ScalarValue(Random.Next(3) == 0 ? (LogEventLevel)42 : (LogEventLevel)Random.Next(6)),
        4 => Random.Next(200) == 0 ? new UnknownValue() : new ScalarValue(Half.CreateTruncating(NextDouble())),
        _ => new ScalarValue(Random.Next(2) == 0 ? (object)(nint)Random.Next() : new DateTimeOffset(NextTicks(), TimeSpan.FromMinutes(Random.Next(-840, 841)))),
    };

    protected override Exception? NextExceptionOrNone() => Random.Next(8) != 0 ? null : Random.Next(5) switch
    {
        0 => new InvalidOperationException(NextString()),
        1 => new AggregateException("many", new ArgumentException("inner \"arg\"", "param"), new TimeoutException()),
        2 when Random.Next(8) == 0 => Thrown(new IOException("disk\nfull\t\u0001", new UnauthorizedAccessException("denied"))),
        2 => new IOException("disk\nfull\t\u0001", new UnauthorizedAccessException("denied")),
        3 when Random.Next(10) == 0 => new UnprintableException(),
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
