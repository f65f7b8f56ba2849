using NonBlockingLog.Bench;
using NonBlockingLog.Bench.Peers;

namespace NonBlockingLog.SteadyState.Contenders;

/// <summary>
/// NLog's AsyncTargetWrapper (Block) over FileTarget: written means LogFactory.Flush returned, which writes out the
/// wrapper's queue and the file's 32 KB buffer.
/// </summary>
internal sealed class NLogContender : Contender
{
    readonly NLog.LogFactory _factory;
    readonly NLog.Logger _logger;

    public NLogContender(string path)
    {
        _factory = NLogFileSetup.Create(path);
        _logger = _factory.GetLogger("steady-state");
    }

    public override void Produce(int from, int to) => Workload.LogRange(_logger, from, to);

    public override void WaitUntilWritten(long logged) => _factory.Flush(PollTimeout);

    protected override void Close()
    {
        _factory.Flush(PollTimeout);
        _factory.Dispose();
    }
}
