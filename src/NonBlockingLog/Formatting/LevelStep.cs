using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace NonBlockingLog.Formatting;

/// <summary>
/// <c>{Level}</c> with its format (<c>u3</c>, <c>w3</c>, <c>t4</c>, ...) and alignment: the six monikers are
/// rendered once, by Serilog's own formatter for this very token, so they are its strings by construction.
/// </summary>
internal sealed class LevelStep : OutputStep
{
    readonly string[] _monikers;

    // Only for a level outside Verbose..Fatal (a cast integer), which Serilog renders as its number.
    readonly MessageTemplateTextFormatter _serilog;

    public LevelStep(PropertyToken token)
    {
        _serilog = new MessageTemplateTextFormatter(token.ToString());
        _monikers = new string[(int)LogEventLevel.Fatal + 1];
        for (var level = LogEventLevel.Verbose; level <= LogEventLevel.Fatal; level++)
        {
            var moniker = new StringWriter();
            _serilog.Format(new LogEvent(default, level, null, MessageTemplate.Empty, []), moniker);
            _monikers[(int)level] = moniker.ToString();
        }
    }

    public override void Write(LogEvent logEvent, TextWriter output)
    {
        var level = (uint)logEvent.Level;
        if (level < (uint)_monikers.Length) output.Write(_monikers[level]);
        else _serilog.Format(logEvent, output);
    }
}
