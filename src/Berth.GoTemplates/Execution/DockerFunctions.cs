using System.Globalization;
using System.Text;
using Berth.GoTemplates.Formatting;
using Berth.GoText;
using static Berth.GoTemplates.Execution.ParameterKind;

namespace Berth.GoTemplates.Execution;

/// <summary>
/// The functions the docker CLI adds to every template (json, split, join, title, lower, upper,
/// pad, truncate), and the stand-ins it uses while rendering table headers.
/// </summary>
internal static class DockerFunctions
{
    public static IEnumerable<FunctionDefinition> Basic()
    {
        yield return new FunctionDefinition("json", [Any], null, static a => GoJson.Encode(a[0]));
        yield return new FunctionDefinition("split", [ParameterKind.String, ParameterKind.String], null, static a => Split((string)a[0]!, (string)a[1]!));
        yield return new FunctionDefinition("join", [StringList, ParameterKind.String], null, static a => string.Join((string)a[1]!, (string[]?)a[0] ?? []));
        yield return new FunctionDefinition("title", [ParameterKind.String], null, static a => Title((string)a[0]!));
        yield return new FunctionDefinition("lower", [ParameterKind.String], null, static a => ((string)a[0]!).ToLowerInvariant());
        yield return new FunctionDefinition("upper", [ParameterKind.String], null, static a => ((string)a[0]!).ToUpperInvariant());
        yield return new FunctionDefinition("pad", [ParameterKind.String, Int, Int], null, static a => Pad((string)a[0]!, (long)a[1]!, (long)a[2]!));
        yield return new FunctionDefinition("truncate", [ParameterKind.String, Int], null, static a => Truncate((string)a[0]!, (long)a[1]!));
    }

    /// <summary>docker's HeaderFunctions: keep the column name intact (pad is deliberately not replaced).</summary>
    public static IEnumerable<FunctionDefinition> Header()
    {
        yield return new FunctionDefinition("json", [ParameterKind.String], null, static a => a[0]);
        yield return new FunctionDefinition("split", [ParameterKind.String, ParameterKind.String], null, static a => a[0]);
        yield return new FunctionDefinition("join", [ParameterKind.String, ParameterKind.String], null, static a => a[0]);
        yield return new FunctionDefinition("title", [ParameterKind.String], null, static a => a[0]);
        yield return new FunctionDefinition("lower", [ParameterKind.String], null, static a => a[0]);
        yield return new FunctionDefinition("upper", [ParameterKind.String], null, static a => a[0]);
        yield return new FunctionDefinition("truncate", [ParameterKind.String, Int], null, static a => a[0]);
    }

    /// <summary>strings.Split: an empty separator splits after each character.</summary>
    private static string[] Split(string text, string separator)
    {
        if (separator.Length > 0)
            return text.Split(separator);
        return text.EnumerateRunes().Select(static r => r.ToString()).ToArray();
    }

    /// <summary>strings.Title: upper-case the first letter of each word; words end at anything but letters, digits and '_'.</summary>
    private static string Title(string text)
    {
        var sb = new StringBuilder(text.Length);
        var previous = (int)' ';
        foreach (var rune in text.EnumerateRunes())
        {
            var r = rune.Value;
            if (IsSeparator(previous))
                GoQuote.AppendRune(sb, Rune.ToUpperInvariant(rune).Value);
            else
                GoQuote.AppendRune(sb, r);
            previous = r;
        }
        return sb.ToString();
    }

    private static bool IsSeparator(int r)
    {
        if (r <= 0x7F)
            return r is not ((>= '0' and <= '9') or (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_');
        var category = CharUnicodeInfo.GetUnicodeCategory(r);
        if (category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber)
            return false;
        return r is 0x85 or 0xA0 or 0x1680 or (>= 0x2000 and <= 0x200A) or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000;
    }

    /// <summary>docker's padWithSpace: spaces around a non-empty string.</summary>
    private static string Pad(string source, long prefix, long suffix)
    {
        if (source.Length == 0)
            return source;
        if (prefix < 0 || suffix < 0)
            throw new FunctionFailure("strings: negative Repeat count");
        return new string(' ', (int)prefix) + source + new string(' ', (int)suffix);
    }

    /// <summary>docker's truncateWithLength: the first bytes of the string.</summary>
    private static string Truncate(string source, long length)
    {
        var bytes = Encoding.UTF8.GetBytes(source);
        if (bytes.Length < length)
            return source;
        if (length < 0)
            throw new FunctionFailure($"runtime error: slice bounds out of range [:{length}]");
        return Encoding.UTF8.GetString(bytes, 0, (int)length);
    }
}
