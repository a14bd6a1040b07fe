using System.Text;
using System.Text.Json.Nodes;

namespace Berth.Cli.Formatting;

/// <summary>
/// The fast path for the templates nearly everyone writes: literal text, <c>{{.Field}}</c> and <c>{{json .}}</c>
/// actions over a flat object (docker's default table formats are of this form). Anything else goes to the
/// Go template engine.
/// </summary>
public sealed class SimpleFieldTemplate : IOutputTemplate
{
    private const string JsonWhole = "\0json";
    private readonly List<(string? Literal, string? Field)> _parts;

    private SimpleFieldTemplate(List<(string?, string?)> parts) => _parts = parts;

    public static SimpleFieldTemplate? TryParse(string text)
    {
        var parts = new List<(string?, string?)>();
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add((text[position..], null));
                break;
            }
            if (open > position)
                parts.Add((text[position..open], null));
            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
                return null;
            var action = text[(open + 2)..close].Trim();
            if (action == "json .")
            {
                parts.Add((null, JsonWhole));
                position = close + 2;
                continue;
            }
            if (action.Length < 2 || action[0] != '.' || !action.Skip(1).All(char.IsAsciiLetterOrDigit))
                return null;
            parts.Add((null, action[1..]));
            position = close + 2;
        }
        return new SimpleFieldTemplate(parts);
    }

    /// <summary>The field names the template reads (ps asks the daemon for sizes only when .Size is used).</summary>
    public IEnumerable<string> Fields => _parts.Where(p => p.Field is not null and not JsonWhole).Select(p => p.Field!);

    public string Execute(JsonNode? data)
    {
        var builder = new StringBuilder();
        foreach (var (literal, field) in _parts)
        {
            if (literal is not null)
            {
                builder.Append(literal);
                continue;
            }
            if (field == JsonWhole)
            {
                builder.Append(Output.GoJson.Serialize(data));
                continue;
            }
            var value = data is JsonObject obj && obj.TryGetPropertyValue(field!, out var v) ? v : null;
            builder.Append(Render(value));
        }
        return builder.ToString();
    }

    private static string Render(JsonNode? value) => value switch
    {
        null => "<no value>",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => value.ToJsonString(),
    };
}
