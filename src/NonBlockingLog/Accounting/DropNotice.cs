using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Accounting;

/// <summary>
/// Turns drop counters into at most one Warning event per interval, written into the log itself, so a
/// reader of the log sees the gap and its cause where it happened. Consumer side only.
/// </summary>
internal sealed class DropNotice
{
    static readonly MessageTemplate Template = new MessageTemplateParser().Parse(
        "NonBlockingLog sink {SinkName} dropped {DroppedEvents} events between {WindowStart:o} and {WindowEnd:o} ({DropReasons})");

    readonly string _sinkName;
    readonly Counters _counters;
    readonly TimeProvider _time;
    readonly TimeSpan _interval;
    readonly long[] _reported = new long[Counters.ReasonCount];
    long _reportedTotal;
    DateTimeOffset _windowStart;
    long _lastNoticeTimestamp;
    bool _anyNotice;

    public DropNotice(string sinkName, Counters counters, TimeProvider time, TimeSpan interval)
    {
        _sinkName = sinkName;
        _counters = counters;
        _time = time;
        _interval = interval;
        _windowStart = time.GetUtcNow();
    }

    /// <summary>When the span the next notice reports began: the last notice, or the sink's start.</summary>
    public DateTimeOffset WindowStart => _windowStart;

    /// <summary>How long until a notice is due; <see cref="Timeout.InfiniteTimeSpan"/> when nothing is unreported.</summary>
    public TimeSpan TimeUntilDue()
    {
        if (_counters.TotalDropped() == _reportedTotal) return Timeout.InfiniteTimeSpan;
        if (!_anyNotice) return TimeSpan.Zero;
        var left = _interval - _time.GetElapsedTime(_lastNoticeTimestamp);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Builds the notice when one is due (or <paramref name="force"/>d, at shutdown) and marks it reported.</summary>
    public LogEvent? TakeDue(bool force = false)
    {
        if (_counters.TotalDropped() == _reportedTotal) return null;
        if (!force && TimeUntilDue() > TimeSpan.Zero) return null;

        var current = _counters.DroppedByReason();
        var now = _time.GetUtcNow();
        long total = 0;
        var reasons = new List<string>();
        var properties = new List<LogEventProperty>();
        for (var i = 0; i < current.Length; i++)
        {
            var delta = current[i] - _reported[i];
            _reported[i] = current[i];
            if (delta == 0) continue;
            total += delta;
            var tag = ((DropReason)i).ToTag();
            reasons.Add($"{tag}: {delta}");
            properties.Add(new LogEventProperty(((DropReason)i).ToString(), new ScalarValue(delta)));
        }

        _reportedTotal += total;
        properties.Add(new LogEventProperty("SinkName", new ScalarValue(_sinkName)));
        properties.Add(new LogEventProperty("DroppedEvents", new ScalarValue(total)));
        properties.Add(new LogEventProperty("WindowStart", new ScalarValue(_windowStart)));
        properties.Add(new LogEventProperty("WindowEnd", new ScalarValue(now)));
        properties.Add(new LogEventProperty("DropReasons", new ScalarValue(string.Join(", ", reasons))));

        _windowStart = now;
        _lastNoticeTimestamp = _time.GetTimestamp();
        _anyNotice = true;
        return new LogEvent(now, LogEventLevel.Warning, null, Template, properties);
    }
}
