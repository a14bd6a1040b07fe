using System.Text;
using System.Text.Json.Nodes;
using Berth.Cli.Output;

namespace Berth.Cli.Formatting;

/// <summary>
/// docker's list output (ps, images, history): the default table, <c>-q</c>, <c>--format table ...</c> with a
/// header row made by running the template on the header names, <c>json</c>, or a custom template per row.
/// </summary>
public sealed class ListFormatter
{
    private readonly IOutputTemplate _template;
    private readonly bool _table;
    private readonly string _templateText;

    public ListFormatter(string? format, string defaultTableFormat, bool quiet, string quietFormat = "{{.ID}}")
    {
        var text = format ?? "";
        if (text is "" or "table")
            text = quiet ? quietFormat : defaultTableFormat;
        else if (text == "json")
            text = "{{json .}}";
        else if (quiet)
            text = quietFormat;
        text = OutputTemplates.Unescape(text);
        if (text.StartsWith("table", StringComparison.Ordinal))
        {
            _table = true;
            text = text["table".Length..].TrimStart();
        }
        _templateText = text;
        _template = OutputTemplates.Parse(text);
    }

    public string TemplateText => _templateText;

    /// <summary>True when the template reads <paramref name="field"/> (e.g. ps asks for sizes only if .Size is shown).</summary>
    public bool Uses(string field) => _templateText.Contains("." + field, StringComparison.Ordinal);

    public string Render(JsonObject header, IEnumerable<JsonObject> rows)
    {
        var text = new StringBuilder();
        if (_table)
            text.Append(_template.ForTableHeader().Execute(header)).Append('\n');
        foreach (var row in rows)
            text.Append(_template.Execute(row)).Append('\n');
        if (!_table)
            return text.ToString();
        var writer = new TabWriter();
        writer.Write(text.ToString());
        return writer.Flush();
    }
}
