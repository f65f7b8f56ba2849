using System.Diagnostics;
using System.Runtime.InteropServices;

namespace NonBlockingLog.Tests.Formatting.Compact.Shipping;

/// <summary>
/// rsyslogd as a child process with its own configuration and state under a temp folder, in the foreground
/// (<c>-n</c>), with no systemd and nothing of the machine's own syslog set-up: it follows every <c>*.json</c>
/// file in <see cref="LogFolder"/> (imfile, inotify), parses each line as JSON (mmjsonparse, no cookie), and
/// writes each parsed event, as rsyslog's own JSON with the file it came from, to <see cref="ParsedPath"/>;
/// a line that is not JSON goes to <see cref="UnparsedPath"/>. This is the configuration the README shows.
/// </summary>
internal sealed class Rsyslog : IDisposable
{
    const int SigTerm = 15;

    readonly Process _process;
    readonly List<string> _output = [];

    Rsyslog(string folder)
    {
        LogFolder = Directory.CreateDirectory(Path.Combine(folder, "logs")).FullName;
        var state = Directory.CreateDirectory(Path.Combine(folder, "rsyslog-state")).FullName;
        var output = Directory.CreateDirectory(Path.Combine(folder, "shipped")).FullName;
        ParsedPath = Path.Combine(output, "events.json");
        UnparsedPath = Path.Combine(output, "unparsed.log");
        var config = Path.Combine(folder, "rsyslog.conf");
        File.WriteAllText(config, Configuration(state, LogFolder, ParsedPath, UnparsedPath));

        var start = new ProcessStartInfo(FindExecutable()!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-n", "-f", config, "-i", Path.Combine(state, "rsyslogd.pid") }) start.ArgumentList.Add(argument);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The folder rsyslog follows: every <c>*.json</c> file in it, also those created later.</summary>
    public string LogFolder { get; }

    /// <summary>One line per parsed event: rsyslog's JSON of it, with <c>metadata.filename</c>.</summary>
    public string ParsedPath { get; }

    /// <summary>Lines rsyslog could not parse as JSON.</summary>
    public string UnparsedPath { get; }

    /// <summary>What rsyslogd printed, for a failure message.</summary>
    public string Output
    {
        get
        {
            lock (_output) return string.Join("\n", _output);
        }
    }

    public static string? FindExecutable() =>
        new[] { "/usr/sbin/rsyslogd", "/sbin/rsyslogd" }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(p => Path.Combine(p, "rsyslogd")))
            .FirstOrDefault(File.Exists);

    public static Rsyslog Start(string folder) => new(folder);

    /// <summary>The configuration, as the README's "JSON lines and log shippers" shows it.</summary>
    public static string Configuration(string state, string logFolder, string parsed, string unparsed) => $$"""
        global(workDirectory="{{state}}" maxMessageSize="64k")
        module(load="imfile" mode="inotify")
        module(load="mmjsonparse")

        template(name="clef" type="list") { property(name="$!all-json") constant(value="\n") }

        ruleset(name="clef") {
          action(type="mmjsonparse" cookie="" useRawMsg="on")
          if $parsesuccess == "OK" then {
            action(type="omfile" file="{{parsed}}" template="clef")
          } else {
            action(type="omfile" file="{{unparsed}}")
          }
        }

        input(type="imfile" file="{{logFolder}}/*.json" tag="app" ruleset="clef" addMetadata="on")
        """;

    /// <summary>The parsed lines so far (none while rsyslog has written none).</summary>
    public IReadOnlyList<string> ReadParsed()
    {
        if (!File.Exists(ParsedPath)) return [];
        using var stream = new FileStream(ParsedPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0) lines.Add(line);
        }

        return lines;
    }

    /// <summary>
    /// Polls until <paramref name="done"/> holds for the parsed lines; throws after <paramref name="timeout"/>
    /// (a guard against a hang: rsyslog reads in milliseconds), when rsyslogd has exited, or once a line could
    /// not be parsed.
    /// </summary>
    public IReadOnlyList<string> WaitForParsed(Func<IReadOnlyList<string>, bool> done, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var lines = ReadParsed();
            if (done(lines)) return lines;
            if (_process.HasExited) throw new InvalidOperationException($"rsyslogd exited with {_process.ExitCode} before {what}:\n{Output}");
            if (File.Exists(UnparsedPath) && new FileInfo(UnparsedPath).Length > 0)
                throw new InvalidOperationException($"rsyslog could not parse some lines as JSON before {what}; the first:\n{File.ReadLines(UnparsedPath).First()}");
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"rsyslog had not shipped {what} after {timeout.TotalSeconds} s ({lines.Count} lines parsed):\n{Output}");
            Thread.Sleep(20);
        }
    }

    /// <summary>Stops rsyslogd as an init system would (SIGTERM, so that it closes its files), and waits for it.</summary>
    public void Stop()
    {
        if (_process.HasExited) return;
        _ = Kill(_process.Id, SigTerm);
        if (!_process.WaitForExit(TimeSpan.FromSeconds(10))) _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    void Collect(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);
}
