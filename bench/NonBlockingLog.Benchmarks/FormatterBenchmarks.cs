using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NonBlockingLog.Bench;
using NonBlockingLog.Bench.Sinks;
using NonBlockingLog.Formatting;
using NonBlockingLog.Formatting.Compact;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace NonBlockingLog.Benchmarks;

// Measures the consumer's main cost alone: formatting one workload event (captured through Serilog's pipeline, as
// the sinks receive it) by the workload's output template, into a StringWriter that is cleared and reused, so that
// only the formatter's own work and allocations are counted. MessageTemplateTextFormatter is what Serilog.Sinks.File
// (alone or behind Serilog.Sinks.Async) uses; OutputTemplateFormatter is NonBlockingFile's.
// The CLEF categories format the same event as JSON lines: Serilog.Formatting.Compact's CompactJsonFormatter and
// RenderedCompactJsonFormatter (what Serilog.Sinks.File uses when given them) against the ClefFormatter that
// NonBlockingFile puts in their place; each category has its own baseline, the library's formatter.
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class FormatterBenchmarks
{
    readonly MessageTemplateTextFormatter _serilog = new(Workload.OutputTemplate);
    readonly OutputTemplateFormatter _outputTemplate = new(Workload.OutputTemplate);
    readonly CompactJsonFormatter _compact = new();
    readonly ITextFormatter _clef = ClefFormatterSelection.Select(new CompactJsonFormatter());
    readonly RenderedCompactJsonFormatter _renderedCompact = new();
    readonly ITextFormatter _renderedClef = ClefFormatterSelection.Select(new RenderedCompactJsonFormatter());
    readonly StringWriter _output = new();
    LogEvent _event = null!;

    [GlobalSetup]
    public void CaptureEvent()
    {
        var sink = new CapturingSink();
        using (var log = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger()) Workload.Log(log, 42);
        _event = sink.Last ?? throw new InvalidOperationException("No event was captured.");

        foreach (var (library, ours) in new (ITextFormatter, ITextFormatter)[] { (_serilog, _outputTemplate), (_compact, _clef), (_renderedCompact, _renderedClef) })
        {
            if (ours is not (Formatting.OutputTemplateFormatter or Formatting.Compact.ClefFormatter)) throw new InvalidOperationException($"{library.GetType().Name} was not replaced: {ours.GetType().Name}.");
            var expected = Format(library.Format);
            var actual = Format(ours.Format);
            if (expected != actual) throw new InvalidOperationException($"The formatters differ:\n{expected}\n{actual}");
            Console.WriteLine($"// a line: {actual.TrimEnd()}");
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Text")]
    public int MessageTemplateTextFormatter()
    {
        _output.GetStringBuilder().Clear();
        _serilog.Format(_event, _output);
        return _output.GetStringBuilder().Length;
    }

    [Benchmark]
    [BenchmarkCategory("Text")]
    public int OutputTemplateFormatter()
    {
        _output.GetStringBuilder().Clear();
        _outputTemplate.Format(_event, _output);
        return _output.GetStringBuilder().Length;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("CLEF")]
    public int CompactJsonFormatter()
    {
        _output.GetStringBuilder().Clear();
        _compact.Format(_event, _output);
        return _output.GetStringBuilder().Length;
    }

    [Benchmark]
    [BenchmarkCategory("CLEF")]
    public int ClefFormatter()
    {
        _output.GetStringBuilder().Clear();
        _clef.Format(_event, _output);
        return _output.GetStringBuilder().Length;
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("CLEF rendered")]
    public int RenderedCompactJsonFormatter()
    {
        _output.GetStringBuilder().Clear();
        _renderedCompact.Format(_event, _output);
        return _output.GetStringBuilder().Length;
    }

    [Benchmark]
    [BenchmarkCategory("CLEF rendered")]
    public int RenderedClefFormatter()
    {
        _output.GetStringBuilder().Clear();
        _renderedClef.Format(_event, _output);
        return _output.GetStringBuilder().Length;
    }

    string Format(Action<LogEvent, TextWriter> format)
    {
        var output = new StringWriter();
        format(_event, output);
        return output.ToString();
    }
}
