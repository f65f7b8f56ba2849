using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Formatting;

/// <summary><c>{TraceId}</c> or <c>{SpanId}</c>: the id's hex string (held by the id, not allocated), or nothing.</summary>
internal sealed class TraceContextStep(bool isTraceId, Alignment? alignment) : OutputStep
{
    public override void Write(LogEvent logEvent, TextWriter output)
    {
        var id = isTraceId ? logEvent.TraceId?.ToString() : logEvent.SpanId?.ToString();
        Padding.Write(output, id ?? "", alignment);
    }
}
