using System.Globalization;
using Berth.Oci.Errors;

namespace Berth.Registry.Configuration;

/// <summary>Durations written as Go writes them ("300ms", "10s", "1h30m", "168h"), the form docker-registry's config uses.</summary>
public static class Durations
{
    public static TimeSpan Parse(string key, string text)
    {
        if (text == "0") return TimeSpan.Zero;
        var total = TimeSpan.Zero;
        int i = 0;
        if (text.Length == 0) throw Bad(key, text);
        while (i < text.Length)
        {
            int start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
            if (start == i) throw Bad(key, text);
            double amount = double.Parse(text.AsSpan(start, i - start), CultureInfo.InvariantCulture);
            int unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i])) i++;
            total += text[unitStart..i] switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => throw Bad(key, text),
            };
        }
        return total;
    }

    private static BerthException Bad(string key, string text) => BerthException.Invalid($"config {key}: \"{text}\" is not a duration like 30s, 5m or 168h");
}
