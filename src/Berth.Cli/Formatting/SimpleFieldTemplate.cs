using System.Text;
using System.Text.Json.Nodes;
using Berth.Cli.Output;

namespace Berth.Cli.Formatting;

/// <summary>
/// The fast path for the templates nearly everyone writes: literal text, <c>{{.Field}}</c>, <c>{{.A.B}}</c>,
/// <c>{{json .}}</c> and <c>{{json .A}}</c> (docker's default table formats are of this form). Values print as
/// Go's text/template prints decoded JSON. Anything else goes to the Go template engine.
/// </summary>
public sealed class SimpleFieldTemplate : IOutputTemplate
{
    private readonly List<Part> _parts;

    private sealed record Part(string? Literal, string[]? Path, bool Json);

    private SimpleFieldTemplate(List<Part> parts) => _parts = parts;

    public static SimpleFieldTemplate? TryParse(string text)
    {
        var parts = new List<Part>();
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add(new Part(text[position..], null, false));
                break;
            }
            if (open > position)
                parts.Add(new Part(text[position..open], null, false));
            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
                return null;
            var action = text[(open + 2)..close].Trim();
            var json = false;
            if (action.StartsWith("json ", StringComparison.Ordinal))
            {
                json = true;
                action = action[5..].Trim();
            }
            if (ParsePath(action) is not { } path)
                return null;
            parts.Add(new Part(null, path, json));
            position = close + 2;
        }
        return new SimpleFieldTemplate(parts);
    }

    private static string[]? ParsePath(string action)
    {
        if (action == ".")
            return [];
        if (action.Length < 2 || action[0] != '.')
            return null;
        var segments = action[1..].Split('.');
        return segments.All(s => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) ? segments : null;
    }

    /// <summary>The top-level field names the template reads (ps asks the daemon for sizes only when .Size is used).</summary>
    public IEnumerable<string> Fields => _parts.Where(p => p.Path is { Length: > 0 }).Select(p => p.Path![0]);

    public IOutputTemplate ForTableHeader() => this;

    public string Execute(JsonNode? data)
    {
        var builder = new StringBuilder();
        foreach (var part in _parts)
        {
            if (part.Literal is not null)
            {
                builder.Append(part.Literal);
                continue;
            }
            var (found, value) = Resolve(data, part.Path!);
            if (part.Json)
                builder.Append(GoJson.Serialize(value));
            else
                builder.Append(found && value is not null ? GoValue(value) : "<no value>");
        }
        return builder.ToString();
    }

    private static (bool Found, JsonNode? Value) Resolve(JsonNode? data, string[] path)
    {
        var current = data;
        foreach (var segment in path)
        {
            if (current is not JsonObject obj || !obj.TryGetPropertyValue(segment, out var next))
                return (false, null);
            current = next;
        }
        return (true, current);
    }

    /// <summary>How Go's templates print a decoded JSON value: strings bare, maps as map[k:v], lists as [a b].</summary>
    public static string GoValue(JsonNode? value) => value switch
    {
        null => "<nil>",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v => v.ToJsonString(),
        JsonArray a => "[" + string.Join(' ', a.Select(GoValue)) + "]",
        JsonObject o => "map[" + string.Join(' ', o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + ":" + GoValue(p.Value))) + "]",
        _ => value.ToJsonString(),
    };
}
