using System.Globalization;

namespace NonBlockingLog.Formatting;

/// <summary>
/// A custom date format made only of fixed-width numeric fields (<c>yyyy MM dd HH mm ss f..fffffff zzz</c>, each
/// at most once) and plain separators, compiled to a character template whose digits are filled in per event.
/// This is what DateTimeOffset.TryFormat writes for such a format, without parsing the format for every event,
/// which is most of what a timestamp costs Serilog. Any other format, or a culture whose calendar is not
/// Gregorian or whose settings could still change, is not compiled (<see cref="TryCompile"/> returns null) and
/// TryFormat does the work.
/// </summary>
internal sealed class TimestampPattern
{
    enum Field { Year, Month, Day, Hour, Minute, Second, Fraction, Offset }

    static readonly string Pairs = string.Concat(Enumerable.Range(0, 100).Select(n => n.ToString("00", CultureInfo.InvariantCulture)));

    static readonly int[] Pow10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000];

    readonly char[] _template;

    // Where each field starts in the template, or -1; straight-line code fills them (a loop over fields and a
    // switch cost as much again as the digits).
    readonly int _year, _month, _day, _hour, _minute, _second, _fraction, _offset;
    readonly int _fractionWidth;

    // Every field is a function of the clock time cut to the finest field (the fraction's last digit, or the
    // second) and of the offset, so events logged within the same millisecond (for "fff") get the same
    // characters: the last line written is kept and copied while that holds, which at a high rate is nearly every
    // event. It is replaced whole, never changed, because a fenced consumer that wakes up may still format an
    // event while its successor does.
    readonly long _resolutionTicks;
    Rendered? _last;

    sealed class Rendered(long unit, long offsetTicks, char[] text)
    {
        public readonly long Unit = unit;
        public readonly long OffsetTicks = offsetTicks;
        public readonly char[] Text = text;
    }

    TimestampPattern(char[] template, int[] starts, int fractionWidth)
    {
        _template = template;
        (_year, _month, _day, _hour) = (starts[(int)Field.Year], starts[(int)Field.Month], starts[(int)Field.Day], starts[(int)Field.Hour]);
        (_minute, _second, _fraction, _offset) = (starts[(int)Field.Minute], starts[(int)Field.Second], starts[(int)Field.Fraction], starts[(int)Field.Offset]);
        _fractionWidth = fractionWidth;
        _resolutionTicks = _fraction >= 0 ? Pow10[7 - fractionWidth] : TimeSpan.TicksPerSecond;
    }

    public static TimestampPattern? TryCompile(string? format, IFormatProvider? formatProvider)
    {
        // One character is a standard format ("o", "u", ...), not a custom one.
        if (format is null || format.Length < 2) return null;
        var info = DateTimeFormatInfo.GetInstance(formatProvider ?? CultureInfo.InvariantCulture);
        if (!info.IsReadOnly || info.Calendar.GetType() != typeof(GregorianCalendar)) return null;

        var template = new List<char>();
        var starts = Enumerable.Repeat(-1, (int)Field.Offset + 1).ToArray();
        var fractionWidth = 0;
        for (var i = 0; i < format.Length;)
        {
            var c = format[i];
            var run = 1;
            while (i + run < format.Length && format[i + run] == c) run++;
            Field? field = (c, run) switch
            {
                ('y', 4) => Field.Year,
                ('M', 2) => Field.Month,
                ('d', 2) => Field.Day,
                ('H', 2) => Field.Hour,
                ('m', 2) => Field.Minute,
                ('s', 2) => Field.Second,
                ('f', <= 7) => Field.Fraction,
                ('z', 3) => Field.Offset,
                _ => null,
            };

            if (field is { } f)
            {
                if (starts[(int)f] >= 0) return null;
                starts[(int)f] = template.Count;
                var width = f switch { Field.Year => 4, Field.Fraction => run, Field.Offset => 6, _ => 2 };
                if (f == Field.Fraction) fractionWidth = run;
                for (var k = 0; k < width; k++) template.Add('0');
                i += run;
                continue;
            }

            // Letters, quotes, '%' and '\' mean something to the format parser; only these plain characters don't.
            var literal = c switch
            {
                ':' => info.TimeSeparator,
                '/' => info.DateSeparator,
                '-' or ' ' or 'T' or '.' or ',' or '_' => null,
                _ => "",
            };
            if (literal == "") return null;
            if (literal is null) template.Add(c);
            else template.AddRange(literal);
            i++;
        }

        return new TimestampPattern([.. template], starts, fractionWidth);
    }

    public bool TryFormat(DateTimeOffset timestamp, Span<char> destination, out int charsWritten)
    {
        charsWritten = 0;
        if (destination.Length < _template.Length) return false;
        var output = destination[.._template.Length];

        // DateTimeOffset formats its clock time (not UTC) with its own offset.
        var time = timestamp.DateTime;
        var unit = time.Ticks / _resolutionTicks;
        var offsetTicks = timestamp.Offset.Ticks;
        if (Volatile.Read(ref _last) is { } last && last.Unit == unit && last.OffsetTicks == offsetTicks)
        {
            last.Text.CopyTo(output);
            charsWritten = _template.Length;
            return true;
        }

        _template.CopyTo(output);
        time.Deconstruct(out int year, out int month, out int day);
        if (_year >= 0)
        {
            WritePair(output, _year, year / 100);
            WritePair(output, _year + 2, year % 100);
        }

        if (_month >= 0) WritePair(output, _month, month);
        if (_day >= 0) WritePair(output, _day, day);
        if (_hour >= 0) WritePair(output, _hour, time.Hour);
        if (_minute >= 0) WritePair(output, _minute, time.Minute);
        if (_second >= 0) WritePair(output, _second, time.Second);
        if (_fraction >= 0)
        {
            var ticks = (int)(time.Ticks % TimeSpan.TicksPerSecond);

            // Milliseconds by a constant divisor, which the JIT turns into a multiplication; other widths divide.
            var fraction = _fractionWidth == 3 ? ticks / 10_000 : ticks / Pow10[7 - _fractionWidth];
            WriteDigits(output.Slice(_fraction, _fractionWidth), fraction);
        }
        if (_offset >= 0)
        {
            var offset = timestamp.Offset;
            output[_offset] = offset.Ticks >= 0 ? '+' : '-';
            var minutes = Math.Abs((int)(offset.Ticks / TimeSpan.TicksPerMinute));
            WritePair(output, _offset + 1, minutes / 60);
            output[_offset + 3] = ':';
            WritePair(output, _offset + 4, minutes % 60);
        }

        Volatile.Write(ref _last, new Rendered(unit, offsetTicks, output.ToArray()));
        charsWritten = _template.Length;
        return true;
    }

    static void WritePair(Span<char> output, int at, int value)
    {
        var pair = value * 2;
        output[at] = Pairs[pair];
        output[at + 1] = Pairs[pair + 1];
    }

    // The value's low digits, zero-padded to the span's width, two at a time from the right.
    static void WriteDigits(Span<char> at, int value)
    {
        var i = at.Length;
        for (; i >= 2; i -= 2)
        {
            var rest = value / 100;
            WritePair(at, i - 2, value - rest * 100);
            value = rest;
        }

        if (i == 1) at[0] = (char)('0' + value % 10);
    }
}
