using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Parsing;

namespace NonBlockingLog.Tests.Formatting.Compact;

/// <summary>
/// ClefFormatter on chosen events: the lines it writes, the same exception (and nothing of the line) where the
/// library throws, and nothing allocated for a typical event. The generated events are in
/// <see cref="CompactJsonDifferentialTests"/>, <see cref="RenderedCompactJsonDifferentialTests"/> and
/// <see cref="ClefVariationTests"/>.
/// </summary>
public class ClefFormatterTests
{
    [Fact]
    public void Format_WorkloadEvent_WritesTheExpectedLines()
    {
        var e = WorkloadEvent(LogEventLevel.Warning);
        var nl = Environment.NewLine;

        Assert.Equal(
            """{"@t":"2026-03-14T13:09:26.5350000Z","@mt":"Request {RequestId} served in {Elapsed:0.0} ms for {User}","@r":["12.5"],"@l":"Warning","RequestId":42,"Elapsed":12.5,"User":"alice","@@Tag":["a\"b",null]}""" + nl,
            Format(ClefAssert.Compile(new CompactJsonFormatter(), rendered: false), e));
        Assert.Equal(
            """{"@t":"2026-03-14T13:09:26.5350000Z","@m":"Request 42 served in 12.5 ms for \"alice\"","@i":"""
            + $"\"{EventIdHash.Compute(e.MessageTemplate.Text):x8}\""
            + ""","@l":"Warning","RequestId":42,"Elapsed":12.5,"User":"alice","@@Tag":["a\"b",null]}""" + nl,
            Format(ClefAssert.Compile(new RenderedCompactJsonFormatter(), rendered: true), e));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Format_ExceptionWhoseToStringThrows_ThrowsAsTheLibraryDoesAndWritesNothing(bool rendered)
    {
        var e = new LogEvent(WorkloadEvent(LogEventLevel.Error).Timestamp, LogEventLevel.Error, new UnprintableException(),
            new MessageTemplateParser().Parse("Failed"), []);
        var expected = ClefAssert.Library(rendered);

        var (text, error) = ClefAssert.Run(w => ClefAssert.Compile(expected, rendered).Format(e, w));

        Assert.Equal(typeof(InvalidOperationException).Name, error);
        Assert.Equal("", text);
        Assert.EndsWith(",\"@l\":\"Error\",\"@x\":", ClefAssert.Run(w => expected.Format(e, w)).Text); // the library's torn line
        ClefAssert.SameOutput(expected, ClefAssert.Compile(expected, rendered), e, "unprintable exception");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Format_FormatTheValueRejects_ThrowsAsTheLibraryDoesAndWritesNothing(bool rendered)
    {
        // A Guid rejects "N2": Serilog has written nothing of the rendered part when it throws.
        var e = new LogEvent(WorkloadEvent(LogEventLevel.Information).Timestamp, LogEventLevel.Information, null,
            new MessageTemplateParser().Parse("Ok {Count:N2} then {Id:N2}"),
            [new("Count", new ScalarValue(3)), new("Id", new ScalarValue(Guid.Empty))]);
        var expected = ClefAssert.Library(rendered);

        var (text, error) = ClefAssert.Run(w => ClefAssert.Compile(expected, rendered).Format(e, w));

        Assert.Equal(typeof(FormatException).Name, error);
        Assert.Equal("", text);
        Assert.EndsWith(rendered ? "\",\"@m\":" : "\"@r\":[\"3.00\",", ClefAssert.Run(w => expected.Format(e, w)).Text); // the library's torn line
        ClefAssert.SameOutput(expected, ClefAssert.Compile(expected, rendered), e, "rejected format");
    }

    [Fact]
    public void Format_NullArguments_ThrowLikeTheLibrary()
    {
        var formatter = ClefAssert.Compile(new CompactJsonFormatter(), rendered: false);

        Assert.Equal("logEvent", Assert.Throws<ArgumentNullException>(() => formatter.Format(null!, new StringWriter())).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentNullException>(() => formatter.Format(WorkloadEvent(LogEventLevel.Information), null!)).ParamName);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Format_WorkloadEvent_AllocatesNothing(bool rendered)
    {
        var formatter = ClefAssert.Compile(ClefAssert.Library(rendered), rendered);
        var e = WorkloadEvent(LogEventLevel.Information);
        var output = new StringWriter(new System.Text.StringBuilder(64 * 1024));
        for (var i = 0; i < 100; i++) formatter.Format(e, output);
        output.GetStringBuilder().Clear();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++) formatter.Format(e, output);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    // The workload's event with a format (so that @r is there), a level, and a property whose name starts with '@'.
    static LogEvent WorkloadEvent(LogEventLevel level) =>
        new(new DateTimeOffset(2026, 3, 14, 15, 9, 26, 535, TimeSpan.FromHours(2)), level, null,
            new MessageTemplateParser().Parse("Request {RequestId} served in {Elapsed:0.0} ms for {User}"),
            [
                new("RequestId", new ScalarValue(42)), new("Elapsed", new ScalarValue(12.5)), new("User", new ScalarValue("alice")),
                new("@Tag", new SequenceValue([new ScalarValue("a\"b"), ScalarValue.Null])),
            ]);

    static string Format(ITextFormatter formatter, LogEvent e)
    {
        var output = new StringWriter();
        formatter.Format(e, output);
        return output.ToString();
    }

    sealed class UnprintableException() : Exception("unprintable")
    {
        public override string ToString() => throw new InvalidOperationException("ToString failed");
    }
}
