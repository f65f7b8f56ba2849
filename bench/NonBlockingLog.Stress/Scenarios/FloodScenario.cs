using System.Diagnostics;
using System.Text;
using NonBlockingLog.Bench.Latency;
using NonBlockingLog.Bench.Reporting;
using NonBlockingLog.Stress.Support;
using Serilog;
using Serilog.Core;

namespace NonBlockingLog.Stress.Scenarios;

/// <summary>
/// Issue 14's incident: one thread logs "unknown event {Kind} from watcher {Watcher}" as fast as it can (a watcher
/// spinning on a closed stream) while another logs 1,000 errors a second from another call site, into
/// NonBlockingFile. Three rows: the defaults (the flood guard at 100,000 events a second, a fifth of the queue
/// reserved for warnings and errors), the reserve alone, and neither (the settings the incident was measured
/// with). Each reports how many errors reached the file, what the flood cost in disk (MB/s) and processor time,
/// and, with the guard on, checks that the flood was held to its limit. The file's size limit is lifted in every
/// row: at a flood's 100+ MB a second the default 1 GB is reached within a full run's 10 s, after which every event,
/// errors included, is a counted sink_failure; the rows are about the queue and the guard, not that limit (the
/// README's Bounded disk section says how fast a flood reaches it).
/// </summary>
internal sealed class FloodScenario : IScenario
{
    const string FloodTemplate = "unknown event {Kind} from watcher {Watcher}";
    const string ErrorTemplate = "watcher {Watcher} lost its stream: {Reason}";
    const int ErrorsPerSecond = 1_000;
    const int ErrorsPerBurst = 10;
    const string OutputTemplate = "{Timestamp:o} [{Level:u3}] {Message:lj}{NewLine}";

    static readonly byte[] FloodMarker = Encoding.ASCII.GetBytes("[INF] unknown event ");
    static readonly byte[] ErrorMarker = Encoding.ASCII.GetBytes("[ERR] watcher ");
    static readonly byte[] SummaryMarker = Encoding.ASCII.GetBytes("events of template 'unknown event ");

    public string Name => "flood";

    public string Description => $"one thread floods \"{FloodTemplate}\" at full speed, another logs {ErrorsPerSecond:N0} errors/s, into NonBlockingFile";

    public IReadOnlyList<ScenarioRow> Run(ScenarioContext context) =>
    [
        RunOne(context, "flood, defaults (guard 100,000/s, reserve 2,000)", floodLimit: null, reservedForWarnings: null),
        RunOne(context, "flood, reserve only (floodLimit 0)", floodLimit: 0, reservedForWarnings: null),
        RunOne(context, "flood, neither (the incident's settings)", floodLimit: 0, reservedForWarnings: 0),
    ];

    static ScenarioRow RunOne(ScenarioContext context, string label, int? floodLimit, int? reservedForWarnings)
    {
        var folder = context.Scratch.Subdirectory("flood-" + Guid.NewGuid().ToString("n")[..8]);
        var path = Path.Combine(folder, "flood.log");
        var sinkName = "stress-flood-" + Guid.NewGuid().ToString("n")[..8];
        var logger = new LoggerConfiguration()
            .WriteTo.NonBlockingFile(path, outputTemplate: OutputTemplate, fileSizeLimitBytes: null, reservedForWarnings: reservedForWarnings,
                floodLimit: floodLimit ?? NonBlockingLogConfiguration.DefaultFloodLimit, name: sinkName)
            .CreateLogger();
        var sink = NonBlockingLogSinks.Find(sinkName)!;
        ScenarioContext.Say($"   {label}");

        var stop = false;
        var flood = new Caller(logger, () => Volatile.Read(ref stop), (log, i) => log.Information(FloodTemplate, "closed", i), paced: false);
        var errors = new Caller(logger, () => Volatile.Read(ref stop), (log, i) => log.Error(ErrorTemplate, i, "connection reset"), paced: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var sinkCpuBefore = ThreadCpu.Of("NonBlockingLog ");
        var started = Stopwatch.GetTimestamp();
        flood.Start();
        errors.Start();
        Thread.Sleep(context.Duration);
        Volatile.Write(ref stop, true);
        flood.Join();
        errors.Join();
        var elapsed = Stopwatch.GetElapsedTime(started);

        // What the load cost, before the drain: the rest is the backlog's, and the row's written count includes it.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var sinkCpu = ThreadCpu.Of("NonBlockingLog ") - sinkCpuBefore;
        var bytesDuringLoad = new FileInfo(path).Length;
        Poll.Until(() => sink.GetSnapshot().Pending == 0, TimeSpan.FromSeconds(30));
        logger.Dispose();

        var s = sink.GetSnapshot();
        var latency = new LatencyHistogram();
        latency.Add(flood.Latency);
        latency.Add(errors.Latency);
        var row = ScenarioRow.FromSnapshot(label, flood.Emitted + errors.Emitted, s, latency);
        var lines = CountLines(path);
        var seconds = elapsed.TotalSeconds;
        var suppressed = s.DroppedByReason[DropReason.FloodLimit];

        row.Note($"errors {Format.Count(lines.Errors)} of {Format.Count(errors.Emitted)} in the file");
        row.Note($"flood {Format.Count(flood.Emitted)} emitted, {Format.Count(suppressed)} suppressed, {Format.Count(lines.Flood)} in the file");
        var perSecond = bytesDuringLoad / seconds;
        row.Note($"file {Format.Megabytes(bytesDuringLoad)} in {seconds:0.0} s: {perSecond / (1024 * 1024):0.0} MB/s, {perSecond * 3600 / (1024.0 * 1024 * 1024):0.0} GB an hour at this rate");
        row.Note($"CPU {cpu.TotalSeconds / seconds:0.00} cores in all (the flooding loop itself keeps one busy), the sink's threads {(sinkCpu is { } c ? (c.TotalSeconds / seconds).ToString("0.00") : "n/a")}");
        if (lines.Summaries > 0) row.Note($"{Format.Count(lines.Summaries)} flood summary lines");

        row.Check(lines.Errors + lines.Flood == s.Written, $"the file holds {Format.Count(lines.Errors + lines.Flood)} caller lines but the sink counted {Format.Count(s.Written)} written");
        if (reservedForWarnings is not 0)
            row.Check(lines.Errors == errors.Emitted, $"only {Format.Count(lines.Errors)} of {Format.Count(errors.Emitted)} errors reached the file");
        if (floodLimit is null)
        {
            // The guard's windows are whole seconds from the sink's start: the run spans at most one more than its length.
            var windows = (long)Math.Ceiling(seconds) + 1;
            var limit = (long)NonBlockingLogConfiguration.DefaultFloodLimit;
            row.Check(suppressed > 0, "the guard suppressed nothing: the flood was slower than the limit");
            row.Check(flood.Emitted - suppressed <= limit * windows, $"{Format.Count(flood.Emitted - suppressed)} flood events passed the guard in {windows} windows of {Format.Count(limit)}");
            row.Check(lines.Summaries > 0, "no flood summary line in the file");
        }

        context.Scratch.Delete(folder);
        return row;
    }

    static (long Flood, long Errors, long Summaries) CountLines(string path)
    {
        long flood = 0, errors = 0, summaries = 0;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        var carry = 0;
        int read;
        while ((read = stream.Read(buffer, carry, buffer.Length - carry)) > 0)
        {
            var span = buffer.AsSpan(0, carry + read);
            int newline;
            while ((newline = span.IndexOf((byte)'\n')) >= 0)
            {
                var line = span[..newline];
                if (line.IndexOf(FloodMarker) >= 0) flood++;
                else if (line.IndexOf(ErrorMarker) >= 0) errors++;
                else if (line.IndexOf(SummaryMarker) >= 0) summaries++;
                span = span[(newline + 1)..];
            }

            span.CopyTo(buffer);
            carry = span.Length;
        }

        return (flood, errors, summaries);
    }

    /// <summary>One calling thread: at full speed, or <see cref="ErrorsPerSecond"/> in bursts every 10 ms.</summary>
    sealed class Caller
    {
        readonly Logger _logger;
        readonly Func<bool> _stopped;
        readonly Action<Logger, long> _log;
        readonly bool _paced;
        readonly Thread _thread;
        long _emitted;

        public Caller(Logger logger, Func<bool> stopped, Action<Logger, long> log, bool paced)
        {
            (_logger, _stopped, _log, _paced) = (logger, stopped, log, paced);
            _thread = new Thread(Run) { IsBackground = true, Name = paced ? "stress errors" : "stress flood" };
        }

        public LatencyHistogram Latency { get; } = new();

        /// <summary>Exact once <see cref="Join"/> has returned.</summary>
        public long Emitted => Volatile.Read(ref _emitted);

        public void Start() => _thread.Start();

        public void Join() => _thread.Join();

        void Run()
        {
            var interval = Stopwatch.Frequency * ErrorsPerBurst / ErrorsPerSecond;
            var next = Stopwatch.GetTimestamp();
            long i = 0;
            while (!_stopped())
            {
                var burst = _paced ? ErrorsPerBurst : 1024;
                for (var n = 0; n < burst; n++)
                {
                    var start = Stopwatch.GetTimestamp();
                    _log(_logger, i++);
                    Latency.Record(start, Stopwatch.GetTimestamp() - start);
                }

                Volatile.Write(ref _emitted, i);
                if (!_paced) continue;
                next += interval;
                Poll.SleepUntil(next);
            }
        }
    }
}
