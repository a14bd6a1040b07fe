using System.Globalization;
using Berth.GoText;

namespace Berth.Cli.Parsing;

/// <summary>docker's size and CPU flags: go-units' <c>RAMInBytes</c> ("64m" = 64 MiB) with its message, and --cpus.</summary>
public static class ByteSizes
{
    public static bool TryParseRam(string text, out long bytes) => GoUnits.TryParseRamInBytes(text, out bytes);

    public static long ParseRam(string text)
        => TryParseRam(text, out var bytes) ? bytes : throw new FormatException($"invalid size: '{text}'");

    /// <summary>A flag validator with go-units' message.</summary>
    public static string? ValidateRam(string text) => TryParseRam(text, out _) ? null : $"invalid size: '{text}'";

    /// <summary>--memory-swap also takes -1 (unlimited).</summary>
    public static string? ValidateSwap(string text) => text == "-1" ? null : ValidateRam(text);

    /// <summary>--cpus: a decimal number of CPUs, as nanocpus; docker refuses more precision than 1e-9.</summary>
    public static bool TryParseNanoCpus(string text, out long nanos, out string error)
    {
        nanos = 0;
        error = "";
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var cpus))
        {
            error = $"failed to parse {text} as a rational number";
            return false;
        }
        var scaled = cpus * 1_000_000_000m;
        if (scaled != decimal.Truncate(scaled))
        {
            error = "value is too precise";
            return false;
        }
        nanos = (long)scaled;
        return true;
    }

    public static string? ValidateNanoCpus(string text) => TryParseNanoCpus(text, out _, out var error) ? null : error;
}
