namespace Berth.Cli.Formatting;

/// <summary>Parses <c>--format</c> templates: the simple-field fast path, else the Go template engine.</summary>
public static class OutputTemplates
{
    /// <summary>docker's escapes in format strings: a literal "\t" or "\n" typed on the command line.</summary>
    public static string Unescape(string format) => format.Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);

    public static IOutputTemplate Parse(string text, bool allowSimple = true)
    {
        if (allowSimple && SimpleFieldTemplate.TryParse(text) is { } simple)
            return simple;
        return GoTemplateAdapter.Parse(text);
    }
}
