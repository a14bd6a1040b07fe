using System.Text.Json.Nodes;

namespace Berth.Compose.Loading;

/// <summary>The shapes merging works on: sequences appended or keyed, and the list forms of maps read as maps.</summary>
internal static class MergeForms
{
    /// <summary>The later items appended to the earlier ones, leaving out any item exactly equal to one already there.</summary>
    public static JsonArray AppendUnique(JsonNode earlier, JsonNode later)
    {
        var result = AsList(earlier);
        foreach (var item in AsList(later.DeepClone()).ToList())
            if (!result.Any(existing => JsonNode.DeepEquals(existing, item)))
                result.Add(item?.DeepClone());
        return result;
    }

    /// <summary>
    /// Sequences of items that name a resource (a volume's target, a secret's source): a later item replaces the
    /// earlier one with the same key in place; the others are appended unless already there.
    /// </summary>
    public static JsonArray MergeByKey(JsonNode earlier, JsonNode later, Func<JsonNode?, string?> keyOf)
    {
        var result = AsList(earlier);
        foreach (var item in AsList(later.DeepClone()).ToList())
        {
            var key = keyOf(item);
            var index = key is null ? -1 : IndexOf(result, existing => keyOf(existing) == key);
            if (index >= 0)
                result[index] = item?.DeepClone();
            else if (!result.Any(existing => JsonNode.DeepEquals(existing, item)))
                result.Add(item?.DeepClone());
        }
        return result;
    }

    /// <summary>Key/value maps (environment, labels, build args ...): list forms read as maps, then the later key wins.</summary>
    public static JsonObject MergeKeyValues(JsonNode earlier, JsonNode later) =>
        MergeKeyValues(earlier, later, SplitAtEquals);

    public static JsonObject MergeKeyValues(JsonNode earlier, JsonNode later, Func<string, (string, string?)> split)
    {
        var result = AsKeyValueMap(earlier, split);
        foreach (var (key, value) in AsKeyValueMap(later.DeepClone(), split).ToList())
            result[key] = value?.DeepClone();
        return result;
    }

    /// <summary>`KEY=VALUE` is KEY with VALUE; `KEY` alone is KEY with no value (null).</summary>
    public static (string Key, string? Value) SplitAtEquals(string entry)
    {
        var equals = entry.IndexOf('=');
        return equals < 0 ? (entry, null) : (entry[..equals], entry[(equals + 1)..]);
    }

    /// <summary>
    /// A map whose list form names keys only (service networks, depends_on): each name becomes a key with the value
    /// <paramref name="valueForName"/> gives.
    /// </summary>
    public static JsonObject AsNamedMap(JsonNode node, Func<JsonNode?> valueForName)
    {
        if (node is JsonObject map)
            return map;
        var result = new JsonObject();
        foreach (var item in AsList(node))
            if (Text(item) is { } name)
                result[name] = valueForName();
        return result;
    }

    /// <summary>A sequence as is; a single scalar (`dns: 8.8.8.8`, `env_file: .env`) as a one-item sequence.</summary>
    public static JsonArray AsList(JsonNode node) => node as JsonArray ?? new JsonArray(node.DeepClone());

    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static JsonObject AsKeyValueMap(JsonNode node, Func<string, (string, string?)> split)
    {
        if (node is JsonObject map)
            return map;
        var result = new JsonObject();
        foreach (var item in AsList(node))
        {
            if (Text(item) is not { } entry)
                continue;
            var (key, value) = split(entry);
            result[key] = value is null ? null : JsonValue.Create(value);
        }
        return result;
    }

    private static int IndexOf(JsonArray array, Func<JsonNode?, bool> match)
    {
        for (var i = 0; i < array.Count; i++)
            if (match(array[i]))
                return i;
        return -1;
    }
}
