using NonBlockingLog.Tests.Support;
using Serilog;
using Serilog.Context;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace NonBlockingLog.Tests.Formatting;

/// <summary>
/// escapeControlCharacters covers more than values: a property's name (an enricher's, a pushed one, a member of a
/// structure an enricher built), a dictionary's key and the exception's text (its message and ToString(), or the
/// description of an exception that cannot be printed) come from user input as often. Each formatting route of a
/// file writes each of them without a line break of the user's: no forged line, and one line per event (plus one
/// per exception where the template prints it on a line of its own).
/// </summary>
public sealed class ForgedLineTests
{
    const string Forged = "2026-01-01 00:00:00.000 +00:00 [ERR] Admin: forged";
    const string Forgery = "\n" + Forged;

    /// <summary>How the file's lines are formatted.</summary>
    public enum Route
    {
        /// <summary>NonBlockingFile's own compiled output template.</summary>
        OwnTemplate,

        /// <summary>NonBlockingFile with a format provider that hands the whole template to Serilog's formatter.</summary>
        SerilogsTemplate,

        /// <summary>NonBlockingFile with a formatter of the app's.</summary>
        AppsFormatter,

        /// <summary>WriteTo.NonBlocking wrapping Serilog.Sinks.File.</summary>
        WrappedFileSink,
    }

    const string Template = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Message:lj} {Properties}{NewLine}{Exception}";

    // Each logs one event whose line would break where the user said so.
    static readonly (string Hole, Action<ILogger> Log, bool HasException)[] Holes =
    [
        ("an enricher's property name", log => log.ForContext("Agent" + Forgery, "curl").Information("Request"), false),
        ("a pushed property name", log =>
        {
            using (LogContext.PushProperty("Query" + Forgery, "1")) log.Information("Pushed");
        }, false),
        ("a dictionary key", log => log.Information("Headers {@Headers}", new Dictionary<string, string> { ["X" + Forgery] = "v" }), false),
        ("a structure member's name", log => log.ForContext(new StructureEnricher("k" + Forgery)).Information("Structured"), false),
        ("an exception's message", log => log.Error(new InvalidOperationException("boom" + Forgery), "Failed"), true),
        ("an inner exception's message", log => log.Error(new InvalidOperationException("outer", new ArgumentException("inner" + Forgery)), "Failed within"), true),
        ("an exception that cannot be printed", log => log.Error(new UnprintableException("cannot print" + Forgery), "Unprintable"), true),
    ];

    public static TheoryData<Route, int> Cases()
    {
        var data = new TheoryData<Route, int>();
        foreach (var route in Enum.GetValues<Route>())
        {
            for (var i = 0; i < Holes.Length; i++) data.Add(route, i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void File_WithEscaping_WritesNoForgedLineWhateverCarriesTheLineBreak(Route route, int hole)
    {
        var (what, log, hasException) = Holes[hole];

        var lines = LogThrough(route, log);

        Assert.DoesNotContain(lines, l => l.StartsWith("2026-01-01", StringComparison.Ordinal));
        Assert.True(lines.Length == (hasException && route != Route.AppsFormatter ? 2 : 1), $"{what} through {route}: {string.Join(" | ", lines)}");
        Assert.Contains(lines, l => l.Contains("\\n" + Forged, StringComparison.Ordinal));
    }

    static string[] LogThrough(Route route, Action<ILogger> log)
    {
        using var tmp = new TempFolder();
        var path = tmp.File("app.log");
        var name = Some.UniqueName("forged");
        var configuration = new LoggerConfiguration().Enrich.FromLogContext();
        configuration = route switch
        {
            Route.OwnTemplate => configuration.WriteTo.NonBlockingFile(path, outputTemplate: Template, escapeControlCharacters: true, name: name),
            Route.SerilogsTemplate => configuration.WriteTo.NonBlockingFile(path, outputTemplate: Template, formatProvider: new CustomProvider(), escapeControlCharacters: true, name: name),
            Route.AppsFormatter => configuration.WriteTo.NonBlockingFile(path, formatter: new OneLineFormatter(), escapeControlCharacters: true, name: name),
            Route.WrappedFileSink => configuration.WriteTo.NonBlocking(to => to.File(path, outputTemplate: Template), escapeControlCharacters: true, name: name),
            _ => throw new ArgumentOutOfRangeException(nameof(route)),
        };

        using (var logger = configuration.CreateLogger()) log(logger);
        return File.ReadAllLines(path);
    }

    sealed class CustomProvider : IFormatProvider
    {
        public object? GetFormat(Type? formatType) => null;
    }

    /// <summary>An app's formatter: everything on one line, the exception by its message, its inner exception's, and its text (or why it has none).</summary>
    sealed class OneLineFormatter : ITextFormatter
    {
        public void Format(LogEvent logEvent, TextWriter output)
        {
            logEvent.RenderMessage(output);
            foreach (var (name, value) in logEvent.Properties) output.Write($" {name}={value}");
            if (logEvent.Exception is { } ex)
            {
                string text;
                try
                {
                    text = ex.ToString();
                }
                catch (Exception failure)
                {
                    text = failure.Message;
                }

                output.Write($" {ex.Message} | {ex.InnerException?.Message} | {text}");
            }

            output.WriteLine();
        }
    }

    /// <summary>Adds a structure whose member is named by the user, as an enricher that copies a query string might.</summary>
    sealed class StructureEnricher(string memberName) : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory) =>
            logEvent.AddPropertyIfAbsent(new LogEventProperty("Query", new StructureValue([new LogEventProperty(memberName, new ScalarValue("v"))])));
    }

    /// <summary>An exception whose ToString() throws, with the user's text in the error.</summary>
    sealed class UnprintableException(string error) : Exception("unprintable")
    {
        public override string ToString() => throw new InvalidOperationException(error);
    }
}
