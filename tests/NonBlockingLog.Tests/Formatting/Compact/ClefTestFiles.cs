using System.Reflection;
using System.Text;
using Microsoft.Extensions.Configuration;
using NonBlockingLog.Consumption;
using NonBlockingLog.Files;
using NonBlockingLog.Supervision;
using Serilog.Formatting;

namespace NonBlockingLog.Tests.Formatting.Compact;

/// <summary>
/// What the CLEF tests need around a NonBlockingFile sink: a scratch folder, appsettings JSON, and the formatter
/// the sink ended up with (which no public API shows, and which must be seen to know the fast path was chosen).
/// </summary>
internal sealed class ClefTestFiles : IDisposable
{
    public ClefTestFiles()
    {
        Folder = Path.Combine(Path.GetTempPath(), "NonBlockingLog.Tests", "clef-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public string File(string name) => Path.Combine(Folder, name);

    public static IConfiguration Settings(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    /// <summary>A JSON string literal, quotes included.</summary>
    public static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    /// <summary>The formatter a live NonBlockingFile sink writes with, read from its current file writer.</summary>
    public static ITextFormatter FormatterOf(string sinkName)
    {
        var sink = Assert.IsType<NonBlockingSink>(NonBlockingLogSinks.Find(sinkName));
        var supervisor = (Supervisor)Field(typeof(NonBlockingSink), "_supervisor").GetValue(sink)!;
        var writer = Assert.IsType<FileBatchWriter>(supervisor.Current.Writer);
        return ((FileWriterOptions)Field(typeof(FileBatchWriter), "_options").GetValue(writer)!).Formatter;
    }

    static FieldInfo Field(Type type, string name) =>
        type.GetField(name, BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException($"{type.Name}.{name} is gone: update {nameof(ClefTestFiles)}.{nameof(FormatterOf)}.");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
