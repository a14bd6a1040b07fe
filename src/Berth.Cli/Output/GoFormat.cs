using System.Globalization;

namespace Berth.Cli.Output;

/// <summary>Go's fmt verbs that docker's output depends on.</summary>
public static class GoFormat
{
    /// <summary>
    /// <c>%.{precision}g</c>: <paramref name="precision"/> significant digits, trailing zeros removed, exponent form
    /// (<c>1e+03</c>) when the exponent is below -4 or at least the precision.
    /// </summary>
    public static string G(double value, int precision)
    {
        if (value == 0)
            return "0";
        if (double.IsNaN(value))
            return "NaN";
        if (double.IsInfinity(value))
            return value > 0 ? "+Inf" : "-Inf";
        var scientific = value.ToString("E" + (precision - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var ePos = scientific.IndexOf('E');
        var exponent = int.Parse(scientific[(ePos + 1)..], CultureInfo.InvariantCulture);
        if (exponent < -4 || exponent >= precision)
        {
            var mantissa = TrimZeros(scientific[..ePos]);
            var sign = exponent < 0 ? "-" : "+";
            var abs = Math.Abs(exponent);
            return mantissa + "e" + sign + (abs < 10 ? "0" : "") + abs.ToString(CultureInfo.InvariantCulture);
        }
        var decimals = Math.Max(0, precision - 1 - exponent);
        var rounded = double.Parse(scientific, CultureInfo.InvariantCulture);
        return TrimZeros(rounded.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
    }

    private static string TrimZeros(string text)
    {
        if (!text.Contains('.'))
            return text;
        text = text.TrimEnd('0');
        return text.EndsWith('.') ? text[..^1] : text;
    }
}
