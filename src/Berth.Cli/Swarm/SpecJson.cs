using System.Text.Json.Nodes;

namespace Berth.Cli.Swarm;

/// <summary>
/// Small edits on spec objects with Go's encoding rules in mind: members tagged omitempty are removed rather than
/// written empty, maps are written with sorted keys, and nested objects are made on first use.
/// </summary>
public static class SpecJson
{
    public static JsonObject Child(this JsonObject parent, string name)
    {
        if (parent[name] is JsonObject existing)
            return existing;
        var created = new JsonObject();
        parent[name] = created;
        return created;
    }

    /// <summary>Sets a string list, or removes the member when the list is empty (omitempty).</summary>
    public static void SetList(this JsonObject parent, string name, IEnumerable<string> values)
    {
        var array = new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
        if (array.Count == 0)
            parent.Remove(name);
        else
            parent[name] = array;
    }

    /// <summary>A Go map[string]string: keys sorted as encoding/json writes them.</summary>
    public static JsonObject Map(IEnumerable<KeyValuePair<string, string>> pairs)
        => new(pairs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));

    public static Dictionary<string, string> ToDictionary(JsonObject? map)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in map ?? [])
            result[key] = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        return result;
    }

    public static List<string> Strings(JsonNode? array)
        => array is JsonArray a ? [.. a.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : "")] : [];
}
