using System.Text;

namespace Berth.Cli.Output;

/// <summary>
/// Go's text/tabwriter with the settings docker's tables use (minwidth 10, padding 3, padded with spaces):
/// tab-terminated cells are aligned in column blocks of consecutive lines; a line's last cell is not padded.
/// </summary>
public sealed class TabWriter(int minWidth = 10, int padding = 3)
{
    private readonly List<List<string>> _lines = [[]];
    private readonly StringBuilder _cell = new();
    private readonly List<int> _widths = [];
    private StringBuilder _output = new();

    public void Write(string text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '\t':
                    _lines[^1].Add(_cell.ToString());
                    _cell.Clear();
                    break;
                case '\n':
                    _lines[^1].Add(_cell.ToString());
                    _cell.Clear();
                    _lines.Add([]);
                    break;
                default:
                    _cell.Append(c);
                    break;
            }
        }
    }

    /// <summary>Formats everything written so far and returns it.</summary>
    public string Flush()
    {
        if (_cell.Length > 0)
        {
            _lines[^1].Add(_cell.ToString());
            _cell.Clear();
        }
        _output = new StringBuilder();
        Format(0, _lines.Count);
        _lines.Clear();
        _lines.Add([]);
        return _output.ToString();
    }

    private void Format(int line0, int line1)
    {
        var column = _widths.Count;
        for (var current = line0; current < line1; current++)
        {
            if (column >= _lines[current].Count - 1)
                continue;
            WriteLines(line0, current);
            line0 = current;
            var width = minWidth;
            for (; current < line1; current++)
            {
                var line = _lines[current];
                if (column >= line.Count - 1)
                    break;
                width = Math.Max(width, DisplayWidth(line[column]) + padding);
            }
            _widths.Add(width);
            Format(line0, current);
            _widths.RemoveAt(_widths.Count - 1);
            line0 = current;
            current--;
        }
        WriteLines(line0, line1);
    }

    private void WriteLines(int line0, int line1)
    {
        for (var i = line0; i < line1; i++)
        {
            var line = _lines[i];
            for (var j = 0; j < line.Count; j++)
            {
                _output.Append(line[j]);
                if (j < _widths.Count)
                    _output.Append(' ', Math.Max(0, _widths[j] - DisplayWidth(line[j])));
            }
            if (i + 1 < _lines.Count)
                _output.Append('\n');
        }
    }

    /// <summary>Width in runes, as Go counts it.</summary>
    public static int DisplayWidth(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
            count++;
        return count;
    }
}
