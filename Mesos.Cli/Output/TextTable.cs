using System.Text;

namespace Mesos.Cli.Output;

/// <summary>
/// A plain text table: a header row, columns padded with spaces, no colours or box drawing, so that it reads the
/// same in a terminal, a log file and a pipe to grep or awk.
/// </summary>
internal sealed class TextTable(params string[] headers)
{
    private const string Gap = "   ";
    private readonly List<string[]> rows = [];

    public int RowCount => rows.Count;

    public void Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"a row needs {headers.Length} cells, got {cells.Length}", nameof(cells));
        }

        // A newline inside a cell would break the one-row-per-line promise.
        rows.Add(cells.Select(c => c.ReplaceLineEndings(" ")).ToArray());
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var builder = new StringBuilder();
        foreach (var row in rows.Prepend(headers))
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                line.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i])).Append(i == row.Length - 1 ? string.Empty : Gap);
            }

            builder.Append(line.ToString().TrimEnd()).Append('\n');
        }

        return builder.ToString();
    }
}
