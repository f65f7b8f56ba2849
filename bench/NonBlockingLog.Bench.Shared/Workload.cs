namespace NonBlockingLog.Bench;

/// <summary>The one log call and the one line format every benchmark uses, so that every peer does the same work.</summary>
public static class Workload
{
    public const string MessageTemplate = "Request {RequestId} served in {Elapsed} ms for {User}";

    public const string OutputTemplate = "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} [{Level:u3}] {Message:lj}{NewLine}{Exception}";

    // The same line in NLog's layout language (byte for byte, as the runs' sample lines show); FileTarget appends
    // the line ending itself.
    public const string NLogLayout =
        @"${date:format=yyyy-MM-ddTHH\:mm\:ss.fffzzz} [${level:uppercase=true:format=TriLetter}] ${message}${onexception:${newline}${exception:format=tostring}}";

    public static void Log(Serilog.ILogger log, int requestId) => log.Information(MessageTemplate, requestId, 12.5, "alice");

    /// <summary>The LogEvent <see cref="Log(Serilog.ILogger, int)"/> makes, built once, for benchmarks that leave event construction out.</summary>
    public static Serilog.Events.LogEvent Build(Serilog.ILogger log, int requestId)
    {
        if (!log.BindMessageTemplate(MessageTemplate, [requestId, 12.5, "alice"], out var template, out var properties))
            throw new InvalidOperationException("The workload's template did not bind.");
        return new Serilog.Events.LogEvent(DateTimeOffset.Now, Serilog.Events.LogEventLevel.Information, null, template, properties);
    }

    public static void Log(NLog.Logger log, int requestId) => log.Info(MessageTemplate, requestId, 12.5, "alice");

    /// <summary>Logs request ids <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive) in a loop.</summary>
    public static void LogRange(Serilog.ILogger log, int from, int to)
    {
        for (var i = from; i < to; i++) Log(log, i);
    }

    /// <inheritdoc cref="LogRange(Serilog.ILogger, int, int)"/>
    public static void LogRange(NLog.Logger log, int from, int to)
    {
        for (var i = from; i < to; i++) Log(log, i);
    }

    /// <summary>
    /// Splits request ids <paramref name="first"/>..<paramref name="first"/>+<paramref name="events"/> evenly over
    /// <paramref name="threads"/> new threads, each calling <paramref name="produce"/>(from, to) once, and returns
    /// when all have finished.
    /// </summary>
    public static void OnThreads(int threads, int events, Action<int, int> produce, int first = 0)
    {
        var perThread = events / threads;
        var workers = new Thread[threads];
        for (var t = 0; t < threads; t++)
        {
            var from = first + t * perThread;
            var to = t == threads - 1 ? first + events : from + perThread;
            workers[t] = new Thread(() => produce(from, to)) { Name = $"producer {t}" };
        }

        foreach (var worker in workers) worker.Start();
        foreach (var worker in workers) worker.Join();
    }
}
