using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.GoText;

/// <summary>
/// docker/go-units' RAMInBytes: "64m" = 64 MiB, "1.5GB", "10mib", a plain number is bytes; always base 1024. docker's
/// memory flags and Compose's mem_limit, shm_size and the like read sizes with it.
/// </summary>
public static partial class GoUnits
{
    [GeneratedRegex(@"^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$")]
    private static partial Regex SizePattern();

    /// <summary>False for text go-units refuses, and for a size beyond what a long holds.</summary>
    public static bool TryParseRamInBytes(string text, out long bytes)
    {
        bytes = 0;
        var match = SizePattern().Match(text);
        if (!match.Success)
            return false;
        if (!double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var size))
            return false;
        var power = match.Groups[3].Value.ToLowerInvariant() switch
        {
            "k" => 1,
            "m" => 2,
            "g" => 3,
            "t" => 4,
            "p" => 5,
            _ => 0,
        };
        var value = size * Math.Pow(1024, power);
        if (value >= long.MaxValue)
            return false;
        bytes = (long)value;
        return true;
    }
}
