using System.Globalization;

namespace Berth.Engine.Distribution.Progress;

/// <summary>
/// The pre-rendered <c>progress</c> field Docker puts beside progressDetail (its JSONProgress.String on a 200-column
/// width): a 50-character bar and decimal sizes with four significant digits, <c>[====&gt;   ]  1.2MB/2.217MB</c>.
/// </summary>
public static class ProgressText
{
    private static readonly string[] Units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];

    public static string Render(long current, long total)
    {
        string currentText = HumanSize(current);
        if (total <= 0) return currentText.PadLeft(8);
        int filled = Math.Min(50, (int)(current * 100.0 / total) / 2);
        int spaces = Math.Max(0, 50 - filled);
        string bar = $"[{new string('=', filled)}>{new string(' ', spaces)}] ";
        string numbers = current > total ? currentText.PadLeft(8) : $"{currentText.PadLeft(8)}/{HumanSize(total)}";
        return bar + numbers;
    }

    /// <summary>go-units HumanSizeWithPrecision(size, 4): powers of 1000, <c>%.4g</c>.</summary>
    public static string HumanSize(double size)
    {
        int unit = 0;
        while (size >= 1000 && unit < Units.Length - 1)
        {
            size /= 1000;
            unit++;
        }
        return size.ToString("G4", CultureInfo.InvariantCulture) + Units[unit];
    }
}
