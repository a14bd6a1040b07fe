using System.Text;

namespace Berth.GoTemplates.Formatting;

/// <summary>Go's strconv.FormatFloat(v, fmt, prec, 64) for the formats 'e', 'E', 'f', 'g', 'G'.</summary>
internal static class GoFloat
{
    public static string Format(double value, char format, int precision)
    {
        if (double.IsNaN(value))
            return "NaN";
        if (double.IsInfinity(value))
            return value > 0 ? "+Inf" : "-Inf";
        var negative = double.IsNegative(value);
        var shortest = precision < 0;
        DecimalDigits digits;
        if (shortest)
        {
            digits = DecimalDigits.Shortest(value);
            precision = char.ToLowerInvariant(format) switch
            {
                'e' => Math.Max(digits.Count - 1, 0),
                'f' => Math.Max(digits.Count - digits.Point, 0),
                _ => digits.Count,
            };
        }
        else
        {
            var exact = DecimalDigits.Exact(value);
            switch (char.ToLowerInvariant(format))
            {
                case 'e':
                    digits = exact.RoundTo(precision + 1);
                    break;
                case 'f':
                    digits = exact.RoundTo(exact.Point + precision);
                    break;
                default:
                    if (precision == 0)
                        precision = 1;
                    digits = exact.RoundTo(precision);
                    break;
            }
        }
        var sb = new StringBuilder(24);
        FormatDigits(sb, negative, digits, precision, format, shortest);
        return sb.ToString();
    }

    private static void FormatDigits(StringBuilder sb, bool negative, DecimalDigits d, int precision, char format, bool shortest)
    {
        switch (format)
        {
            case 'e' or 'E':
                FormatE(sb, negative, d, precision, format);
                return;
            case 'f':
                FormatF(sb, negative, d, precision);
                return;
        }
        var eprec = precision;
        if (eprec > d.Count && d.Count >= d.Point)
            eprec = d.Count;
        // Go uses precision 6 for the %e-or-%f decision when printing the shortest form.
        if (shortest)
            eprec = 6;
        var exponent = d.Point - 1;
        if (exponent < -4 || exponent >= eprec)
        {
            if (precision > d.Count)
                precision = d.Count;
            FormatE(sb, negative, d, precision - 1, format == 'G' ? 'E' : 'e');
            return;
        }
        if (precision > d.Point)
            precision = d.Count;
        FormatF(sb, negative, d, Math.Max(precision - d.Point, 0));
    }

    private static void FormatE(StringBuilder sb, bool negative, DecimalDigits d, int precision, char format)
    {
        if (negative)
            sb.Append('-');
        sb.Append(d.Count == 0 ? '0' : d.Digits[0]);
        if (precision > 0)
        {
            sb.Append('.');
            for (var i = 1; i <= precision; i++)
                sb.Append(d[i]);
        }
        sb.Append(format);
        var exponent = d.Count == 0 ? 0 : d.Point - 1;
        sb.Append(exponent < 0 ? '-' : '+');
        exponent = Math.Abs(exponent);
        if (exponent < 10)
            sb.Append('0');
        sb.Append(exponent);
    }

    private static void FormatF(StringBuilder sb, bool negative, DecimalDigits d, int precision)
    {
        if (negative)
            sb.Append('-');
        if (d.Point > 0)
        {
            for (var i = 0; i < d.Point; i++)
                sb.Append(d[i]);
        }
        else
        {
            sb.Append('0');
        }
        if (precision > 0)
        {
            sb.Append('.');
            for (var i = 1; i <= precision; i++)
                sb.Append(d[d.Point + i - 1]);
        }
    }
}
