using NLog;
using NLog.Config;
using NLog.Targets;
using NLog.Targets.Wrappers;

namespace NonBlockingLog.Bench.Peers;

/// <summary>NLog configured in code, on its own LogFactory (never the global one): AsyncTargetWrapper over FileTarget.</summary>
public static class NLogFileSetup
{
    public static LogFactory Create(string path)
    {
        var factory = new LogFactory { ThrowConfigExceptions = true };

        // KeepFileOpen and AutoFlush = false (NLog 6 flushes after every write unless told not to): a 32 KB buffer
        // (BufferSize's default) written when full and at flush or close, the same as Serilog.Sinks.File with
        // buffered: true.
        var file = new FileTarget("file")
        {
            FileName = path,
            Layout = Workload.NLogLayout,
            KeepFileOpen = true,
            AutoFlush = false,
        };

        // Block: no event may be lost. QueueLimit is NLog's default and the capacity the others get; BatchSize
        // (200) and TimeToSleepBetweenBatches (1 ms) stay NLog's defaults.
        var async = new AsyncTargetWrapper("async", file)
        {
            OverflowAction = AsyncTargetWrapperOverflowAction.Block,
            QueueLimit = FilePeers.Capacity,
        };

        var config = new LoggingConfiguration(factory);
        config.AddRuleForAllLevels(async);
        factory.Configuration = config;
        return factory;
    }
}
