using NLog;
using NLog.Config;
using NLog.Targets;
using NLog.Targets.Wrappers;

namespace NonBlockingLog.Benchmarks.Support;

/// <summary>NLog configured in code, on its own LogFactory (never the global one): AsyncTargetWrapper over FileTarget.</summary>
internal static class NLogFileSetup
{
    public static LogFactory Create(string path)
    {
        var factory = new LogFactory { ThrowConfigExceptions = true };

        // KeepFileOpen (NLog's default) and AutoFlush = false: a 32 KB buffer written when full and at flush or
        // close, the same as Serilog.Sinks.File with buffered: true.
        var file = new FileTarget("file")
        {
            FileName = path,
            Layout = Workload.NLogLayout,
            KeepFileOpen = true,
            AutoFlush = false,
        };

        // Block: no event may be lost. QueueLimit 10,000 is NLog's default and the capacity the others get.
        var async = new AsyncTargetWrapper("async", file)
        {
            OverflowAction = AsyncTargetWrapperOverflowAction.Block,
            QueueLimit = 10_000,
        };

        var config = new LoggingConfiguration(factory);
        config.AddRuleForAllLevels(async);
        factory.Configuration = config;
        return factory;
    }
}
