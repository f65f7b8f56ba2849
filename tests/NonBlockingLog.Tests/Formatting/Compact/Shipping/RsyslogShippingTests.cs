using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace NonBlockingLog.Tests.Formatting.Compact.Shipping;

/// <summary>
/// A real log shipper reads what NonBlockingFile writes: rsyslog follows the CLEF files of two sinks (one with
/// CompactJsonFormatter, one with RenderedCompactJsonFormatter, both written by ClefFormatter) while several
/// producers log through size rolls and time rolls, and every event arrives exactly once, parsed, with its
/// timestamp, level, message and properties, text that tries to break the line included.
/// </summary>
public class RsyslogShippingTests
{
    const int Producers = 4;
    const int EventsPerProducerPerPhase = 500;
    const int Phases = 3;
    const int EventsPerSink = Producers * EventsPerProducerPerPhase * Phases;
    static readonly TimeSpan ShipTimeout = TimeSpan.FromSeconds(20);

    // Text a user might log that would break a line-oriented format: line breaks, quotes, a fake JSON tail.
    static readonly string[] Texts = ["plain", "line\nbreak\r\nand \"quotes\"", "\"}\n{\"@t\":\"forged\"", "tab\t\u0001 Zoë 日本 😀", "back\\slash"];

    [RsyslogFact]
    public void Rsyslog_FollowingRollingClefFiles_ReceivesEveryEventOnceParsed()
    {
        using var files = new ClefTestFiles();
        using var rsyslog = Rsyslog.Start(files.Folder);

        // Ready: a line in a file that exists before the logger starts has been shipped.
        File.WriteAllText(Path.Combine(rsyslog.LogFolder, "probe.json"), "{\"probe\":\"ready\"}\n");
        rsyslog.WaitForParsed(lines => lines.Any(l => l.Contains("\"probe\": \"ready\"", StringComparison.Ordinal)), ShipTimeout, "the readiness probe");

        var compact = new SinkUnderTest("compact", rendered: false, rsyslog.LogFolder);
        var rendered = new SinkUnderTest("rendered", rendered: true, rsyslog.LogFolder);
        var logged = new ConcurrentDictionary<(string Sink, int Producer, int Sequence), LogEvent>();
        var configuration = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(new Recorder(logged));
        compact.Configure(configuration.WriteTo);
        rendered.Configure(configuration.WriteTo);
        using (var log = configuration.CreateLogger())
        {
            for (var phase = 0; phase < Phases; phase++)
            {
                // Each phase is a minute later for both consumers: the files roll by time, and within a phase by size.
                compact.ShiftClock(phase);
                rendered.ShiftClock(phase);
                Produce(log, phase);
                compact.WaitUntilWritten(logged.Count / 2);
                rendered.WaitUntilWritten(logged.Count / 2);
            }
        }

        compact.ResetClock();
        rendered.ResetClock();
        Assert.Equal(2 * EventsPerSink, logged.Count);

        // Every event, and then a last probe line: rsyslog handles its files' changes in order, so once the last
        // probe is there, a duplicate of an earlier line would be too.
        rsyslog.WaitForParsed(lines => lines.Count >= 2 * EventsPerSink + 1, ShipTimeout, $"{2 * EventsPerSink} events");
        File.AppendAllText(Path.Combine(rsyslog.LogFolder, "probe.json"), "{\"probe\":\"done\"}\n");
        rsyslog.WaitForParsed(lines => lines.Any(l => l.Contains("\"probe\": \"done\"", StringComparison.Ordinal)), ShipTimeout, "the last probe");
        rsyslog.Stop();

        Assert.False(File.Exists(rsyslog.UnparsedPath) && new FileInfo(rsyslog.UnparsedPath).Length > 0,
            $"rsyslog could not parse some lines:\n{(File.Exists(rsyslog.UnparsedPath) ? File.ReadAllText(rsyslog.UnparsedPath) : "")}");
        var shipped = rsyslog.ReadParsed().Select(l => JsonDocument.Parse(l).RootElement).Where(e => !e.TryGetProperty("probe", out _)).ToList();
        var received = shipped.GroupBy(Key).ToDictionary(g => g.Key, g => g.ToList());
        var missing = logged.Keys.Where(k => !received.ContainsKey(k)).ToList();
        var twice = received.Where(r => r.Value.Count > 1).Select(r => r.Key).ToList();
        var unknown = received.Keys.Where(k => !logged.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0 && twice.Count == 0 && unknown.Count == 0 && shipped.Count == logged.Count,
            $"{shipped.Count} shipped for {logged.Count} logged: {missing.Count} missing (first {string.Join(", ", missing.Take(3))}), " +
            $"{twice.Count} more than once, {unknown.Count} unknown.\n{rsyslog.Output}");

        foreach (var (key, events) in received) AssertShippedAsLogged(events[0], logged[key], key.Sink == "rendered");

        // The files rolled by time (a set per minute: one per phase, and one more when the real clock crosses a minute
        // during a phase) and by size, and rsyslog read each of them.
        foreach (var sink in new[] { compact, rendered })
        {
            var written = sink.Files();
            Assert.True(written.Select(f => f.Minute).Distinct().Count() is >= Phases and <= 2 * Phases, $"{sink.Name}: files for {string.Join(", ", written.Select(f => f.Minute).Distinct())}");
            Assert.True(written.Count(f => f.IsSizeRoll) >= Phases, $"{sink.Name}: {written.Count} files, too few size rolls");
            var readFrom = shipped.Select(e => e.GetProperty("metadata").GetProperty("filename").GetString()!).ToHashSet(StringComparer.Ordinal);
            Assert.All(written, f => Assert.Contains(f.Path, readFrom));
        }
    }

    static void Produce(ILogger log, int phase)
    {
        var producers = Enumerable.Range(0, Producers).Select(p => new Thread(() =>
        {
            for (var i = 0; i < EventsPerProducerPerPhase; i++)
            {
                var sequence = phase * EventsPerProducerPerPhase + i;
                var level = (LogEventLevel)(sequence % 6);
                var text = Texts[sequence % Texts.Length];
                log.Write(level, "Request {Sequence} from {Producer} said {Text} after {Elapsed} ms",
                    sequence, p, text, sequence / 8.0);
            }
        })).ToList();
        producers.ForEach(t => t.Start());
        producers.ForEach(t => t.Join());
    }

    static (string Sink, int Producer, int Sequence) Key(JsonElement e) =>
        (Path.GetFileName(e.GetProperty("metadata").GetProperty("filename").GetString()!).Split('-')[0],
            e.GetProperty("Producer").GetInt32(), e.GetProperty("Sequence").GetInt32());

    static void AssertShippedAsLogged(JsonElement shipped, LogEvent logged, bool rendered)
    {
        Assert.Equal(logged.Timestamp.UtcDateTime.ToString("O"), shipped.GetProperty("@t").GetString());
        if (logged.Level == LogEventLevel.Information) Assert.False(shipped.TryGetProperty("@l", out _));
        else Assert.Equal(logged.Level.ToString(), shipped.GetProperty("@l").GetString());

        if (rendered) Assert.Equal(logged.RenderMessage(CultureInfo.InvariantCulture), shipped.GetProperty("@m").GetString());
        else Assert.Equal(logged.MessageTemplate.Text, shipped.GetProperty("@mt").GetString());

        Assert.Equal(((ScalarValue)logged.Properties["Text"]).Value, shipped.GetProperty("Text").GetString());
        Assert.Equal(((ScalarValue)logged.Properties["Elapsed"]).Value, shipped.GetProperty("Elapsed").GetDouble());
    }

    /// <summary>One NonBlockingFile sink writing CLEF to <c>{name}-yyyyMMddHHmm[_nnn].json</c>, rolled by minute and by 16 KB.</summary>
    sealed class SinkUnderTest(string name, bool rendered, string folder)
    {
        readonly string _sinkName = $"shipping-{name}-{Guid.NewGuid():n}";
        INonBlockingLogInspector? _inspector;

        public string Name => name;

        public LoggerConfiguration Configure(LoggerSinkConfiguration to) =>
            to.NonBlockingFile(Path.Combine(folder, $"{name}-.json"),
                formatter: rendered ? new RenderedCompactJsonFormatter() : new CompactJsonFormatter(),
                rollingInterval: RollingInterval.Minute, fileSizeLimitBytes: 16 * 1024, rollOnFileSizeLimit: true, retainedFileCountLimit: null,
                fullMode: QueueFullMode.Wait, waitTimeout: TimeSpan.FromSeconds(10), name: _sinkName);

        public void ShiftClock(int minutes) => SinksFileClock.Shift(_sinkName, TimeSpan.FromMinutes(minutes));

        public void ResetClock() => SinksFileClock.Reset(_sinkName);

        public void WaitUntilWritten(long events)
        {
            _inspector ??= NonBlockingLogSinks.Find(_sinkName) ?? throw new InvalidOperationException($"no sink {_sinkName}");
            var deadline = DateTime.UtcNow + ShipTimeout;
            while (_inspector.GetSnapshot() is var s && (s.Written < events || s.Pending > 0))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"{_sinkName} wrote {s.Written} of {events}.");
                Thread.Sleep(5);
            }
        }

        public List<(string Path, string Minute, bool IsSizeRoll)> Files() =>
            [.. Directory.GetFiles(folder, $"{name}-*.json").Order().Select(path =>
            {
                var stem = Path.GetFileNameWithoutExtension(path)[(name.Length + 1)..];
                return (path, stem[..12], stem.Length > 12);
            })];
    }

    /// <summary>Keeps each event under the key the shipped line will have, for both sinks.</summary>
    sealed class Recorder(ConcurrentDictionary<(string, int, int), LogEvent> logged) : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
            var producer = (int)((ScalarValue)logEvent.Properties["Producer"]).Value!;
            var sequence = (int)((ScalarValue)logEvent.Properties["Sequence"]).Value!;
            Assert.True(logged.TryAdd(("compact", producer, sequence), logEvent));
            Assert.True(logged.TryAdd(("rendered", producer, sequence), logEvent));
        }
    }
}
