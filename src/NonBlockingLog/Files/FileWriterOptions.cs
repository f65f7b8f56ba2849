using System.Text;
using NonBlockingLog.Formatting;
using Serilog;
using Serilog.Formatting;

namespace NonBlockingLog.Files;

/// <summary>The validated Serilog.Sinks.File settings of a NonBlockingFile sink; names match the JSON keys.</summary>
internal sealed class FileWriterOptions
{
    public required string Path { get; init; }
    public required ITextFormatter Formatter { get; init; }
    public RollingInterval RollingInterval { get; init; }
    public long? FileSizeLimitBytes { get; init; }
    public bool RollOnFileSizeLimit { get; init; }
    public int? RetainedFileCountLimit { get; init; }
    public TimeSpan? FlushToDiskInterval { get; init; }
    public Encoding? Encoding { get; init; }

    public static FileWriterOptions Create(
        string path, string outputTemplate, ITextFormatter? formatter, IFormatProvider? formatProvider,
        RollingInterval rollingInterval, long? fileSizeLimitBytes, bool rollOnFileSizeLimit,
        int? retainedFileCountLimit, TimeSpan? flushToDiskInterval, Encoding? encoding)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("path is required: the log file to write, such as \"logs/app-.log\".", nameof(path));
        if (formatter is null && string.IsNullOrEmpty(outputTemplate)) throw new ArgumentException("outputTemplate must not be empty when no formatter is given, for example \"{Timestamp:o} [{Level:u3}] {Message:lj}{NewLine}{Exception}\".", nameof(outputTemplate));
        if (!Enum.IsDefined(rollingInterval)) throw new ArgumentOutOfRangeException(nameof(rollingInterval), rollingInterval, "rollingInterval must be Infinite, Year, Month, Day, Hour or Minute.");
        if (fileSizeLimitBytes is < 1) throw new ArgumentOutOfRangeException(nameof(fileSizeLimitBytes), fileSizeLimitBytes, "fileSizeLimitBytes must be at least 1 byte, or null for no limit.");
        if (rollOnFileSizeLimit && fileSizeLimitBytes is null) throw new ArgumentException("rollOnFileSizeLimit needs a fileSizeLimitBytes to roll on.", nameof(rollOnFileSizeLimit));
        if (retainedFileCountLimit is < 1) throw new ArgumentOutOfRangeException(nameof(retainedFileCountLimit), retainedFileCountLimit, "retainedFileCountLimit must be at least 1, or null to keep every file.");
        if (flushToDiskInterval is { } f && f <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(flushToDiskInterval), f, "flushToDiskInterval must be a positive duration, or null to leave forcing to disk to the operating system.");

        return new FileWriterOptions
        {
            Path = path,
            // Writes what MessageTemplateTextFormatter writes, faster; it hands a template it can't match to Serilog whole.
            Formatter = formatter ?? new OutputTemplateFormatter(outputTemplate, formatProvider),
            RollingInterval = rollingInterval,
            FileSizeLimitBytes = fileSizeLimitBytes,
            RollOnFileSizeLimit = rollOnFileSizeLimit,
            RetainedFileCountLimit = retainedFileCountLimit,
            FlushToDiskInterval = flushToDiskInterval,
            Encoding = encoding,
        };
    }
}
