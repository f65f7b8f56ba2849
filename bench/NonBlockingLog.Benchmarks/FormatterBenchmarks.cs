using BenchmarkDotNet.Attributes;
using NonBlockingLog.Bench;
using NonBlockingLog.Bench.Sinks;
using NonBlockingLog.Formatting;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace NonBlockingLog.Benchmarks;

// Measures the consumer's main cost alone: formatting one workload event (captured through Serilog's pipeline, as
// the sinks receive it) by the workload's output template, into a StringWriter that is cleared and reused, so that
// only the formatter's own work and allocations are counted. MessageTemplateTextFormatter is what Serilog.Sinks.File
// (alone or behind Serilog.Sinks.Async) uses; OutputTemplateFormatter is NonBlockingFile's.
[MemoryDiagnoser]
public class FormatterBenchmarks
{
    readonly MessageTemplateTextFormatter _serilog = new(Workload.OutputTemplate);
    readonly OutputTemplateFormatter _outputTemplate = new(Workload.OutputTemplate);
    readonly StringWriter _output = new();
    LogEvent _event = null!;

    [GlobalSetup]
    public void CaptureEvent()
    {
        var sink = new CapturingSink();
        using (var log = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger()) Workload.Log(log, 42);
        _event = sink.Last ?? throw new InvalidOperationException("No event was captured.");

        var serilog = Format(_serilog.Format);
        var ours = Format(_outputTemplate.Format);
        if (serilog != ours) throw new InvalidOperationException($"The formatters differ:\n{serilog}\n{ours}");
        Console.WriteLine($"// a line: {ours.TrimEnd()}");
    }

    [Benchmark(Baseline = true)]
    public int MessageTemplateTextFormatter()
    {
        _output.GetStringBuilder().Clear();
        _serilog.Format(_event, _output);
        return _output.GetStringBuilder().Length;
    }

    [Benchmark]
    public int OutputTemplateFormatter()
    {
        _output.GetStringBuilder().Clear();
        _outputTemplate.Format(_event, _output);
        return _output.GetStringBuilder().Length;
    }

    string Format(Action<LogEvent, TextWriter> format)
    {
        var output = new StringWriter();
        format(_event, output);
        return output.ToString();
    }
}
