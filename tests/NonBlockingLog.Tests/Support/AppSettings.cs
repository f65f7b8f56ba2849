using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace NonBlockingLog.Tests.Support;

/// <summary>In-memory appsettings.json, as a host would load it, for <c>ReadFrom.Configuration</c>.</summary>
public static class AppSettings
{
    public static IConfiguration FromJson(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    /// <summary>A "Serilog" section using NonBlockingLog (and this assembly's test sinks) with one WriteTo entry.</summary>
    public static IConfiguration WithSink(string writeToEntry) => FromJson($$"""
        {
          "Serilog": {
            "Using": [ "NonBlockingLog", "NonBlockingLog.Tests" ],
            "WriteTo": [ {{writeToEntry}} ]
          }
        }
        """);

    /// <summary>A JSON string literal, quotes included, so that any path can be pasted into JSON.</summary>
    public static string Quote(string value) => JsonSerializer.Serialize(value);
}
