using NonBlockingLog.Bench;
using Serilog.Core;

namespace NonBlockingLog.SteadyState.Contenders;

/// <summary>A contender that is one Serilog logger: the producers call it directly, and disposing it closes the file.</summary>
internal abstract class SerilogContender(Logger logger) : Contender
{
    public sealed override void Produce(int from, int to) => Workload.LogRange(logger, from, to);

    protected sealed override void Close() => logger.Dispose();
}
