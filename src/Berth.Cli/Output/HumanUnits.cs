using System.Globalization;

namespace Berth.Cli.Output;

/// <summary>docker/go-units sizes: <c>HumanSizeWithPrecision</c> (decimal, "4.26MB") and <c>BytesSize</c> (binary, "1.5GiB").</summary>
public static class HumanUnits
{
    private static readonly string[] DecimalUnits = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    private static readonly string[] BinaryUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];

    /// <summary>docker images SIZE, docker ps -s: three significant digits, powers of 1000.</summary>
    public static string HumanSize(double size, int precision = 3) => Custom(size, 1000.0, DecimalUnits, precision);

    /// <summary>Powers of 1024, four significant digits (docker info's Total Memory).</summary>
    public static string BytesSize(double size) => Custom(size, 1024.0, BinaryUnits, 4);

    private static string Custom(double size, double @base, string[] units, int precision)
    {
        var i = 0;
        while (size >= @base && i < units.Length - 1)
        {
            size /= @base;
            i++;
        }
        return GoFormat.G(size, precision) + units[i];
    }
}
