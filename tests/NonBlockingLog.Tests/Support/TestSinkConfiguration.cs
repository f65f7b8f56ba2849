using System.Collections.Concurrent;
using Serilog;
using Serilog.Configuration;
using Serilog.Core;

namespace NonBlockingLog.Tests.Support;

/// <summary>
/// <c>WriteTo.Collecting(key)</c> and <c>WriteTo.Gated(key)</c>, so that appsettings JSON can name a test sink;
/// the test then gets the instance the configuration built by its key.
/// </summary>
public static class TestSinkConfiguration
{
    static readonly ConcurrentDictionary<string, ILogEventSink> s_sinks = new(StringComparer.Ordinal);

    public static LoggerConfiguration Collecting(this LoggerSinkConfiguration writeTo, string key) =>
        writeTo.Sink(s_sinks.GetOrAdd(key, _ => new CollectingSink()));

    public static LoggerConfiguration Gated(this LoggerSinkConfiguration writeTo, string key) =>
        writeTo.Sink(s_sinks.GetOrAdd(key, _ => new GatedSink()));

    public static TSink Built<TSink>(string key) where TSink : ILogEventSink => (TSink)s_sinks[key];
}
