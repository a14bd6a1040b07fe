using System.Globalization;

namespace Berth.Compose.Model.Reading;

/// <summary>
/// Sizes as Compose and docker write them: a number (a fraction is allowed) and an optional unit b, k, m, g, t or p,
/// optionally followed by "b" or "ib" ("512m", "1.5gb", "2GiB"); always base 1024; a plain number is bytes.
/// </summary>
public static class ByteSizes
{
    public static long Parse(string text) =>
        TryParse(text, out var bytes) ? bytes : throw new ComposeException($"invalid size: '{text}'");

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var s = text.Trim().ToLowerInvariant();
        var numberEnd = 0;
        while (numberEnd < s.Length && (char.IsAsciiDigit(s[numberEnd]) || s[numberEnd] == '.'))
            numberEnd++;
        if (numberEnd == 0 || !double.TryParse(s.AsSpan(0, numberEnd), NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out var number))
            return false;

        var unit = s[numberEnd..].TrimStart(' ');
        if (unit.EndsWith('b'))
            unit = unit[..^1];
        if (unit.EndsWith('i') && unit.Length == 2)
            unit = unit[..^1];
        int power = unit switch
        {
            "" => 0,
            "k" => 1,
            "m" => 2,
            "g" => 3,
            "t" => 4,
            "p" => 5,
            _ => -1,
        };
        if (power < 0)
            return false;
        var value = number * Math.Pow(1024, power);
        if (value >= long.MaxValue)
            return false;
        bytes = (long)value;
        return true;
    }
}
