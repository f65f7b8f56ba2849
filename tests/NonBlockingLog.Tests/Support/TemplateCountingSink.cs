using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace NonBlockingLog.Tests.Support;

/// <summary>Counts what it receives by template text and level, keeping no event: for floods of millions.</summary>
public sealed class TemplateCountingSink : ILogEventSink
{
    readonly ConcurrentDictionary<(string Template, LogEventLevel Level), long> _counts = new();

    public void Emit(LogEvent logEvent) => _counts.AddOrUpdate((logEvent.MessageTemplate.Text, logEvent.Level), 1, (_, n) => n + 1);

    public long Count(string template, LogEventLevel level) => _counts.GetValueOrDefault((template, level));

    /// <summary>Every event whose template does not start with "NonBlockingLog sink" (the sink's own notices).</summary>
    public long CallerEvents => _counts.Where(kv => !kv.Key.Template.StartsWith("NonBlockingLog sink", StringComparison.Ordinal)).Sum(kv => kv.Value);
}
