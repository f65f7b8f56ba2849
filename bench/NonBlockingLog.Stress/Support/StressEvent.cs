using Serilog;

namespace NonBlockingLog.Stress.Support;

/// <summary>
/// The one log call every producer makes, and how its line looks in a file. Each event carries its producer
/// and a sequence number, so a file can be checked event by event (lost, duplicated, torn).
/// </summary>
/// <remarks>
/// One Information template at full speed is a flood by any measure, so the scenarios that log it measure the
/// queue and the consumer with the flood guard and the level reserve off (floodLimit: 0, reservedForWarnings: 0);
/// the flood scenario measures those two, with the defaults.
/// </remarks>
internal static class StressEvent
{
    public const string MessageTemplate = "Stress event {Seq} from producer {Producer}";

    /// <summary>Short lines, so that a small filesystem holds many; the level tells caller events from drop notices.</summary>
    public const string OutputTemplate = "{Timestamp:o} [{Level:u3}] {Message:lj}{NewLine}";

    /// <summary>
    /// Longer lines: a run of dots (property <c>Padding</c>, see <see cref="WithPadding"/>) before the level. At
    /// ~400 bytes a line, Serilog.Sinks.File's 4 KB stream buffer holds about ten events, so a batch spans
    /// several buffer write-throughs and an I/O error can strike in the middle of one, as with real JSON logs.
    /// </summary>
    public const string PaddedOutputTemplate = "{Timestamp:o} {Padding:l} [{Level:u3}] {Message:lj}{NewLine}";

    public static LoggerConfiguration WithPadding(this LoggerConfiguration configuration, int characters) =>
        configuration.Enrich.WithProperty("Padding", new string('.', characters));

    public static void Write(Serilog.ILogger log, long seq, int producer) => log.Information(MessageTemplate, seq, producer);

    /// <summary>A unique key per event: producer in the top bits, sequence number below.</summary>
    public static long Key(int producer, long seq) => ((long)producer << 40) | seq;
}
