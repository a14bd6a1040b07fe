using System.Text.Json.Nodes;

namespace Berth.Cli.Formatting;

/// <summary>Full Go text/template support comes from Berth.GoTemplates; this adapter is the only place that knows it.</summary>
internal sealed class GoTemplateAdapter : IOutputTemplate
{
    public static IOutputTemplate Parse(string text)
        => throw new TemplateParseException(
            $"template \"{text}\" needs the Go template engine (Berth.GoTemplates), which this build does not include yet; only {{{{.Field}}}} templates work");

    public string Execute(JsonNode? data) => throw new InvalidOperationException("unreachable");
}
