namespace Berth.Cli.Formatting;

/// <summary>Parses <c>--format</c> templates: the simple-field fast path, else the Go template engine.</summary>
public static class OutputTemplates
{
    /// <summary>docker's escapes in format strings: a literal "\t" or "\n" typed on the command line.</summary>
    public static string Unescape(string format) => format.Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);

    /// <summary>
    /// A list template (ps, images, history, events): missing fields print "&lt;no value&gt;".
    /// Plain field lists take the fast path; everything else the Go engine.
    /// </summary>
    public static IOutputTemplate Parse(string text)
        => SimpleFieldTemplate.TryParse(text) is { } simple ? simple : GoTemplateAdapter.Parse(text, missingKeyIsError: false);

    /// <summary>An inspect template: evaluated on the raw JSON with missing keys as errors, as docker inspect does.</summary>
    public static IOutputTemplate ParseForInspect(string text) => GoTemplateAdapter.Parse(text, missingKeyIsError: true);
}
