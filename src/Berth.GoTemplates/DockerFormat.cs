namespace Berth.GoTemplates;

/// <summary>
/// How the docker CLI reads a list command's <c>--format</c> value before parsing it as a template
/// (its formatter's preFormat): a leading "table" selects table output, surrounding spaces are
/// trimmed, and the two-character sequences \t and \n become a tab and a newline.
/// </summary>
public static class DockerFormat
{
    public const string TableKey = "table";

    /// <summary>
    /// Whether <paramref name="format"/> asks for a table, and the template text to parse
    /// (with "table" removed, trimmed and unescaped). "table" alone leaves an empty template,
    /// for which the CLI uses its default columns.
    /// </summary>
    public static bool IsTable(string format, out string rest)
    {
        ArgumentNullException.ThrowIfNull(format);
        var isTable = format.StartsWith(TableKey, StringComparison.Ordinal);
        rest = Prepare(isTable ? format[TableKey.Length..] : format);
        return isTable;
    }

    /// <summary>Trims spaces and turns the literal sequences \t and \n into a tab and a newline, as docker does.</summary>
    public static string Prepare(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        return format.Trim(' ').Replace(@"\t", "\t", StringComparison.Ordinal).Replace(@"\n", "\n", StringComparison.Ordinal);
    }
}
