namespace NonBlockingLog.Bench.Reporting;

/// <summary>
/// Prints rows as a Markdown table with padded columns, so that it reads as well in a terminal as rendered.
/// Pipes inside cells are escaped; right-aligned columns are for numbers.
/// </summary>
public sealed class MarkdownTable(params (string Header, bool RightAligned)[] columns)
{
    readonly List<string[]> _rows = [];

    public void Add(params string[] cells)
    {
        if (cells.Length != columns.Length) throw new ArgumentException($"expected {columns.Length} cells, got {cells.Length}", nameof(cells));
        _rows.Add([.. cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))]);
    }

    public void WriteTo(TextWriter output)
    {
        var widths = new int[columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            // A separator cell needs at least three characters ("---" or "--:").
            widths[c] = Math.Max(3, _rows.Select(r => r[c].Length).Append(columns[c].Header.Length).Max());
        }

        WriteRow(output, widths, [.. columns.Select(c => c.Header)]);
        output.WriteLine("| " + string.Join(" | ", columns.Select((c, i) => c.RightAligned ? new string('-', widths[i] - 1) + ":" : new string('-', widths[i]))) + " |");
        foreach (var row in _rows) WriteRow(output, widths, row);
    }

    void WriteRow(TextWriter output, int[] widths, string[] cells)
    {
        var padded = cells.Select((cell, i) => columns[i].RightAligned ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
        output.WriteLine("| " + string.Join(" | ", padded) + " |");
    }
}
