using System.Globalization;
using Serilog.Events;
using Serilog.Parsing;

namespace NonBlockingLog.Formatting;

/// <summary>
/// <c>{Timestamp}</c> with any format: Serilog writes <c>Timestamp.ToString(format, formatProvider ?? Invariant)</c>;
/// this writes the same characters from a stack buffer, through a compiled <see cref="TimestampPattern"/> when
/// the format allows, else DateTimeOffset.TryFormat.
/// </summary>
internal sealed class TimestampStep(PropertyToken token, IFormatProvider? formatProvider) : OutputStep
{
    const int StackBufferLength = 128;

    readonly string? _format = token.Format;
    readonly Alignment? _alignment = token.Alignment;
    readonly IFormatProvider _formatProvider = formatProvider ?? CultureInfo.InvariantCulture;
    readonly TimestampPattern? _pattern = TimestampPattern.TryCompile(token.Format, formatProvider);

    public override void Write(LogEvent logEvent, TextWriter output)
    {
        Span<char> buffer = stackalloc char[StackBufferLength];
        var timestamp = logEvent.Timestamp;
        var formatted = _pattern is { } pattern
            ? pattern.TryFormat(timestamp, buffer, out var written)
            : timestamp.TryFormat(buffer, out written, _format, _formatProvider);

        if (formatted) Padding.Write(output, buffer[..written], _alignment);
        else Padding.Write(output, timestamp.ToString(_format, _formatProvider), _alignment);
    }
}
