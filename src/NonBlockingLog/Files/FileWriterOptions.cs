using System.Text;
using NonBlockingLog.Formatting;
using NonBlockingLog.Formatting.Compact;
using NonBlockingLog.Settings;
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
        var problems = new SettingProblems();
        Check(problems, path, outputTemplate, formatter, rollingInterval, fileSizeLimitBytes, rollOnFileSizeLimit, retainedFileCountLimit, flushToDiskInterval);
        problems.ThrowFirst();

        return new FileWriterOptions
        {
            Path = path,
            // Each writes what Serilog's formatter writes, faster: MessageTemplateTextFormatter's lines (a template it
            // can't match goes to Serilog whole), and CLEF for Serilog.Formatting.Compact's two formatters.
            Formatter = formatter is not null ? ClefFormatterSelection.Select(formatter) : new OutputTemplateFormatter(outputTemplate, formatProvider),
            RollingInterval = rollingInterval,
            FileSizeLimitBytes = fileSizeLimitBytes,
            RollOnFileSizeLimit = rollOnFileSizeLimit,
            RetainedFileCountLimit = retainedFileCountLimit,
            FlushToDiskInterval = flushToDiskInterval,
            Encoding = encoding,
        };
    }

    /// <summary>The rules for the file's settings, shared by NonBlockingFile and the configuration validator.</summary>
    public static void Check(
        SettingProblems problems, string? path, string? outputTemplate, object? formatter, RollingInterval rollingInterval,
        long? fileSizeLimitBytes, bool rollOnFileSizeLimit, int? retainedFileCountLimit, TimeSpan? flushToDiskInterval)
    {
        if (string.IsNullOrWhiteSpace(path)) problems.Invalid(nameof(path), "path is required: the log file to write, such as \"logs/app-.log\".");
        if (formatter is null && string.IsNullOrEmpty(outputTemplate)) problems.Invalid(nameof(outputTemplate), "outputTemplate must not be empty when no formatter is given, for example \"{Timestamp:o} [{Level:u3}] {Message:lj}{NewLine}{Exception}\".");
        if (!Enum.IsDefined(rollingInterval)) problems.OutOfRange(nameof(rollingInterval), rollingInterval, "rollingInterval must be Infinite, Year, Month, Day, Hour or Minute.");
        if (fileSizeLimitBytes is < 1) problems.OutOfRange(nameof(fileSizeLimitBytes), fileSizeLimitBytes, "fileSizeLimitBytes must be at least 1 byte, or null for no limit.");
        if (rollOnFileSizeLimit && fileSizeLimitBytes is null) problems.Invalid(nameof(rollOnFileSizeLimit), "rollOnFileSizeLimit needs a fileSizeLimitBytes to roll on.");
        if (retainedFileCountLimit is < 1) problems.OutOfRange(nameof(retainedFileCountLimit), retainedFileCountLimit, "retainedFileCountLimit must be at least 1, or null to keep every file.");
        if (flushToDiskInterval is { } f && f <= TimeSpan.Zero) problems.OutOfRange(nameof(flushToDiskInterval), f, "flushToDiskInterval must be a positive duration, or null to leave forcing to disk to the operating system.");
    }
}
