using System.Text.Json.Nodes;

namespace Berth.Cli.Commands;

/// <summary>Repeated KEY=VALUE flags (--label, --opt): a bare KEY has an empty value, and a later KEY wins.</summary>
public static class KeyValueFlags
{
    public static Dictionary<string, string> ToDictionary(IEnumerable<string> values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var eq = value.IndexOf('=');
            result[eq < 0 ? value : value[..eq]] = eq < 0 ? "" : value[(eq + 1)..];
        }
        return result;
    }

    /// <summary>The same as the JSON object the API takes.</summary>
    public static JsonObject ToObject(IEnumerable<string> values)
        => new(ToDictionary(values).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
}
