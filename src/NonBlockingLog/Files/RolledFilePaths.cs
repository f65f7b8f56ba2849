using System.Globalization;
using Serilog;

namespace NonBlockingLog.Files;

/// <summary>
/// The names Serilog.Sinks.File gives a rolling sink's files, and which one it opens, as its PathRoller and
/// RollingFileSink decide them (both internal to it): <c>app-.log</c> rolling by day is <c>app-20260101.log</c>,
/// then <c>app-20260101_001.log</c>, <c>_002</c> ... as it rolls on size. The folder is resolved when this is made,
/// as Serilog.Sinks.File resolves it when its sink is built.
/// </summary>
internal sealed class RolledFilePaths
{
    readonly RollingInterval _interval;
    readonly string _prefix;
    readonly string _suffix;
    readonly string _periodFormat;

    public RolledFilePaths(string path, RollingInterval interval)
    {
        _interval = interval;
        var directory = System.IO.Path.GetDirectoryName(path);
        Directory = System.IO.Path.GetFullPath(string.IsNullOrEmpty(directory) ? System.IO.Directory.GetCurrentDirectory() : directory);
        _prefix = System.IO.Path.GetFileNameWithoutExtension(path);
        _suffix = System.IO.Path.GetExtension(path);
        _periodFormat = interval switch
        {
            RollingInterval.Year => "yyyy",
            RollingInterval.Month => "yyyyMM",
            RollingInterval.Day => "yyyyMMdd",
            RollingInterval.Hour => "yyyyMMddHH",
            RollingInterval.Minute => "yyyyMMddHHmm",
            _ => "",
        };
    }

    public string Directory { get; }

    /// <summary>The start of the period <paramref name="now"/> falls in, which names its files; null when the sink rolls on size only.</summary>
    public DateTime? PeriodOf(DateTime now) => _interval switch
    {
        RollingInterval.Year => new DateTime(now.Year, 1, 1, 0, 0, 0, now.Kind),
        RollingInterval.Month => new DateTime(now.Year, now.Month, 1, 0, 0, 0, now.Kind),
        RollingInterval.Day => new DateTime(now.Year, now.Month, now.Day, 0, 0, 0, now.Kind),
        RollingInterval.Hour => new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, now.Kind),
        RollingInterval.Minute => new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, now.Kind),
        _ => null,
    };

    /// <summary>The start of the period after <paramref name="period"/>: from then on, Serilog.Sinks.File writes to a file of the new period.</summary>
    public DateTime After(DateTime period) => _interval switch
    {
        RollingInterval.Year => period.AddYears(1),
        RollingInterval.Month => period.AddMonths(1),
        RollingInterval.Day => period.AddDays(1),
        RollingInterval.Hour => period.AddHours(1),
        RollingInterval.Minute => period.AddMinutes(1),
        _ => DateTime.MaxValue,
    };

    public string PathOf(DateTime? period, int? sequence)
    {
        var name = _prefix + (period?.ToString(_periodFormat, CultureInfo.InvariantCulture) ?? "");
        if (sequence is { } n) name += "_" + n.ToString("000", CultureInfo.InvariantCulture);
        return System.IO.Path.Combine(Directory, name + _suffix);
    }

    /// <summary>Reads a file name of this sink's: its period (null if it has none or it is not a date) and sequence number.</summary>
    public bool TryParse(string fileName, out DateTime? period, out int? sequence)
    {
        period = null;
        sequence = null;
        if (fileName.Length < _prefix.Length + _periodFormat.Length + _suffix.Length ||
            !fileName.StartsWith(_prefix, StringComparison.Ordinal) || !fileName.EndsWith(_suffix, StringComparison.Ordinal))
            return false;

        var middle = fileName.AsSpan(_prefix.Length, fileName.Length - _prefix.Length - _suffix.Length);
        var digits = middle[.._periodFormat.Length];
        var rest = middle[_periodFormat.Length..];
        if (!AllDigits(digits)) return false;
        if (rest.Length > 0)
        {
            if (rest.Length < 4 || rest[0] != '_' || rest[1..].ContainsAnyExceptInRange('0', '9') || !int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return false;
            sequence = n;
        }

        if (_periodFormat.Length > 0 && DateTime.TryParseExact(digits, _periodFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) period = parsed;
        return true;
    }

    /// <summary>
    /// Whether a file of <paramref name="period"/> exists, and the highest sequence number among them (null when
    /// only the file without one exists): the file Serilog.Sinks.File opens for that period.
    /// </summary>
    public (bool Exists, int? Latest) LatestOf(DateTime? period)
    {
        var exists = false;
        int? latest = null;
        if (!System.IO.Directory.Exists(Directory)) return (false, null);
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, _prefix + "*" + _suffix))
        {
            if (!TryParse(System.IO.Path.GetFileName(file), out var filePeriod, out var sequence) || filePeriod != period) continue;
            exists = true;
            if (sequence > (latest ?? -1)) latest = sequence;
        }

        return (exists, latest);
    }

    // What Serilog.Sinks.File's pattern matches for the period, \d: any Unicode decimal digit (the sequence is ASCII only).
    static bool AllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsDigit(c)) return false;
        }

        return true;
    }
}
