using System.Text;
using NonBlockingLog.Formatting;
using NonBlockingLog.Formatting.Compact;
using NonBlockingLog.Settings;
using Serilog;
using Serilog.Formatting;
using Serilog.Sinks.File;

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
    public TimeSpan? RetainedFileTimeLimit { get; init; }

    /// <summary>Creates the sink's files with <see cref="FileMode"/> before Serilog.Sinks.File opens them, and runs the app's own hooks.</summary>
    public required FileCreation Creation { get; init; }

    /// <summary>The hooks FileBatchWriter runs inside its own: <see cref="Creation"/>, with the app's own hooks (headers, archiving on retention) inside it.</summary>
    public FileLifecycleHooks? Hooks => Creation;

    /// <summary>The permissions of files (and, with execute added where read is, folders) this sink creates, on Unix.</summary>
    public UnixFileMode FileMode { get; init; } = DefaultFileMode;

    /// <summary>Owner read and write, group read: logs often hold personal data.</summary>
    public const UnixFileMode DefaultFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    /// <summary>The mode of folders this sink creates: the file mode with execute (search) wherever it has read.</summary>
    public UnixFileMode DirectoryMode =>
        FileMode
        | (FileMode.HasFlag(UnixFileMode.UserRead) ? UnixFileMode.UserExecute : 0)
        | (FileMode.HasFlag(UnixFileMode.GroupRead) ? UnixFileMode.GroupExecute : 0)
        | (FileMode.HasFlag(UnixFileMode.OtherRead) ? UnixFileMode.OtherExecute : 0);

    public static FileWriterOptions Create(
        string path, string outputTemplate, ITextFormatter? formatter, IFormatProvider? formatProvider,
        RollingInterval rollingInterval, long? fileSizeLimitBytes, bool rollOnFileSizeLimit,
        int? retainedFileCountLimit, TimeSpan? flushToDiskInterval, Encoding? encoding,
        bool escapeControlCharacters = false, FileLifecycleHooks? hooks = null, TimeSpan? retainedFileTimeLimit = null,
        string? fileMode = null, bool shared = false)
    {
        var problems = new SettingProblems();
        Check(problems, path, outputTemplate, formatter, rollingInterval, fileSizeLimitBytes, rollOnFileSizeLimit, retainedFileCountLimit, flushToDiskInterval,
            retainedFileTimeLimit, fileMode, shared);
        problems.ThrowFirst();

        var mode = fileMode is null ? DefaultFileMode : ParseFileMode(fileMode)!.Value;
        return new FileWriterOptions
        {
            Path = path,
            // Each writes what Serilog's formatter writes, faster: MessageTemplateTextFormatter's lines (a template it
            // can't match goes to Serilog whole), and CLEF for Serilog.Formatting.Compact's two formatters.
            Formatter = EscapingIfAsked(
                formatter is not null ? ClefFormatterSelection.Select(formatter) : new OutputTemplateFormatter(outputTemplate, formatProvider, escapeControlCharacters),
                escapeControlCharacters),
            RollingInterval = rollingInterval,
            FileSizeLimitBytes = fileSizeLimitBytes,
            RollOnFileSizeLimit = rollOnFileSizeLimit,
            RetainedFileCountLimit = retainedFileCountLimit,
            FlushToDiskInterval = flushToDiskInterval,
            Encoding = encoding,
            Creation = new FileCreation(path, rollingInterval, fileSizeLimitBytes, rollOnFileSizeLimit, mode, hooks),
            RetainedFileTimeLimit = retainedFileTimeLimit,
            FileMode = mode,
        };
    }

    // Our own text formatter escapes as it writes; JSON formatters escape control characters anyway; any other
    // formatter gets a copy of the event with its data escaped.
    static ITextFormatter EscapingIfAsked(ITextFormatter formatter, bool escapeControlCharacters) =>
        !escapeControlCharacters || formatter is OutputTemplateFormatter || IsJson(formatter) ? formatter : new ControlCharacterEscapingFormatter(formatter);

    static bool IsJson(ITextFormatter formatter) =>
        formatter is ClefFormatter || formatter.GetType().Namespace is "Serilog.Formatting.Json" or "Serilog.Formatting.Compact";

    /// <summary>An octal mode such as "0640" or "640", or null if <paramref name="text"/> is not one.</summary>
    public static UnixFileMode? ParseFileMode(string text)
    {
        var digits = text.Trim();
        if (digits.Length is < 3 or > 4 || digits.Any(c => c is < '0' or > '7')) return null;
        var mode = Convert.ToInt32(digits, 8);
        return mode > 0b111_111_111 ? null : (UnixFileMode)mode;
    }

    /// <summary>The rules for the file's settings, shared by NonBlockingFile and the configuration validator.</summary>
    public static void Check(
        SettingProblems problems, string? path, string? outputTemplate, object? formatter, RollingInterval rollingInterval,
        long? fileSizeLimitBytes, bool rollOnFileSizeLimit, int? retainedFileCountLimit, TimeSpan? flushToDiskInterval,
        TimeSpan? retainedFileTimeLimit = null, string? fileMode = null, bool shared = false)
    {
        if (string.IsNullOrWhiteSpace(path)) problems.Invalid(nameof(path), "path is required: the log file to write, such as \"logs/app-.log\".");
        if (formatter is null && string.IsNullOrEmpty(outputTemplate)) problems.Invalid(nameof(outputTemplate), "outputTemplate must not be empty when no formatter is given, for example \"{Timestamp:o} [{Level:u3}] {Message:lj}{NewLine}{Exception}\".");
        if (!Enum.IsDefined(rollingInterval)) problems.OutOfRange(nameof(rollingInterval), rollingInterval, "rollingInterval must be Infinite, Year, Month, Day, Hour or Minute.");
        if (fileSizeLimitBytes is < 1) problems.OutOfRange(nameof(fileSizeLimitBytes), fileSizeLimitBytes, "fileSizeLimitBytes must be at least 1 byte, or null for no limit.");
        if (rollOnFileSizeLimit && fileSizeLimitBytes is null) problems.Invalid(nameof(rollOnFileSizeLimit), "rollOnFileSizeLimit needs a fileSizeLimitBytes to roll on.");
        if (retainedFileCountLimit is < 1) problems.OutOfRange(nameof(retainedFileCountLimit), retainedFileCountLimit, "retainedFileCountLimit must be at least 1, or null to keep every file.");
        if (flushToDiskInterval is { } f && f <= TimeSpan.Zero) problems.OutOfRange(nameof(flushToDiskInterval), f, "flushToDiskInterval must be a positive duration, or null to leave forcing to disk to the operating system.");
        if (retainedFileTimeLimit is { } t && t <= TimeSpan.Zero) problems.OutOfRange(nameof(retainedFileTimeLimit), t, "retainedFileTimeLimit must be a positive duration, such as \"7.00:00:00\", or null to keep files whatever their age.");
        if (fileMode is not null && ParseFileMode(fileMode) is not { } mode) problems.Invalid(nameof(fileMode), $"fileMode must be an octal permission such as \"0640\" (owner read and write, group read) or \"0600\"; \"{fileMode}\" is not one.");
        else if (fileMode is not null && (ParseFileMode(fileMode)!.Value & (UnixFileMode.UserRead | UnixFileMode.UserWrite)) != (UnixFileMode.UserRead | UnixFileMode.UserWrite)) problems.Invalid(nameof(fileMode), $"fileMode must let the owner read and write the file (at least \"0600\"); \"{fileMode}\" does not.");
        if (shared) problems.Invalid(nameof(shared), "shared is not supported by NonBlockingFile: it keeps its counts exact by owning its file, and another process appending to the same file would make them lie. Give each process a file of its own (a path per process), or, if several processes must share one file, wrap Serilog's File sink: WriteTo.NonBlocking(to => to.File(path, shared: true)).");
    }
}
