using System.Text.Json.Nodes;

namespace Berth.Cli.Commands;

/// <summary>Repeated KEY=VALUE flags (--label, --opt) as the JSON object the API takes; a bare KEY has an empty value.</summary>
public static class KeyValueFlags
{
    public static JsonObject ToObject(IEnumerable<string> values)
    {
        var result = new JsonObject();
        foreach (var value in values)
        {
            var eq = value.IndexOf('=');
            result[eq < 0 ? value : value[..eq]] = eq < 0 ? "" : value[(eq + 1)..];
        }
        return result;
    }
}
