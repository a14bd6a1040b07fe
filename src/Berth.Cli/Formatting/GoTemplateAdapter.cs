using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Berth.GoTemplates;

namespace Berth.Cli.Formatting;

/// <summary>Full Go text/template support from Berth.GoTemplates; the only place the CLI touches that engine.</summary>
internal sealed class GoTemplateAdapter(GoTemplate template) : IOutputTemplate
{
    /// <summary>Raw label maps of ps rows, for docker's <c>{{.Label "key"}}</c> method (rows show labels as one string).</summary>
    private static readonly ConditionalWeakTable<JsonObject, JsonObject> RowLabels = new();

    /// <summary>Header objects of tables, where methods answer with column titles.</summary>
    private static readonly ConditionalWeakTable<JsonObject, object> HeaderRows = new();

    private static readonly Dictionary<string, TemplateMethod> Methods = new(StringComparer.Ordinal)
    {
        ["Label"] = (receiver, args) =>
        {
            if (args.Count != 1 || args[0] is not JsonValue key || !key.TryGetValue<string>(out var name))
                throw new ArgumentException("Label takes one string argument");
            if (HeaderRows.TryGetValue(receiver, out _))
                return name[(name.LastIndexOf('.') + 1)..]; // docker's header for a label column is the key's last part
            return RowLabels.TryGetValue(receiver, out var labels) && labels[name] is JsonValue value ? value.DeepClone() : (JsonNode)"";
        },
    };

    public static void AttachLabels(JsonObject row, JsonObject? labels) => RowLabels.AddOrUpdate(row, labels ?? []);

    public static JsonObject MarkHeader(JsonObject header)
    {
        HeaderRows.AddOrUpdate(header, header);
        return header;
    }

    public static IOutputTemplate Parse(string text, bool missingKeyIsError)
    {
        try
        {
            var options = new GoTemplateOptions
            {
                Methods = Methods,
                MissingKey = missingKeyIsError ? MissingKeyMode.Error : MissingKeyMode.Default,
            };
            return new GoTemplateAdapter(GoTemplate.Parse(text, options));
        }
        catch (TemplateException e)
        {
            throw new TemplateParseException(e.Message);
        }
    }

    public string Execute(JsonNode? data)
    {
        try
        {
            return template.Execute(data);
        }
        catch (TemplateException e)
        {
            throw new TemplateExecutionException(e.Message);
        }
    }

    public IOutputTemplate ForTableHeader() => new GoTemplateAdapter(template.ForTableHeader());
}
