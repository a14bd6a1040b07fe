using System.Text.Json.Nodes;

namespace Berth.Compose.Loading;

/// <summary>Substitutes variables in every string value of one file's document; keys are left as written.</summary>
internal static class DocumentInterpolator
{
    public static void Interpolate(JsonObject document, Func<string, string?> lookup) =>
        InterpolateObject(document, "", lookup);

    private static void InterpolateObject(JsonObject mapping, string path, Func<string, string?> lookup)
    {
        // Replacing a property while enumerating the object is not allowed, so walk a snapshot of the keys.
        foreach (var key in mapping.Select(property => property.Key).ToList())
        {
            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            var replacement = InterpolateNode(mapping[key], childPath, lookup);
            if (replacement is not null)
                mapping[key] = replacement;
        }
    }

    private static void InterpolateArray(JsonArray sequence, string path, Func<string, string?> lookup)
    {
        for (var i = 0; i < sequence.Count; i++)
        {
            var replacement = InterpolateNode(sequence[i], $"{path}[{i}]", lookup);
            if (replacement is not null)
                sequence[i] = replacement;
        }
    }

    /// <summary>A new value for a string node whose text changed; null when the node stays (or was walked in place).</summary>
    private static JsonValue? InterpolateNode(JsonNode? node, string path, Func<string, string?> lookup)
    {
        switch (node)
        {
            case JsonObject mapping:
                InterpolateObject(mapping, path, lookup);
                return null;
            case JsonArray sequence:
                InterpolateArray(sequence, path, lookup);
                return null;
            case JsonValue value when value.TryGetValue<string>(out var text):
                var expanded = Interpolation.Expand(text, lookup, path);
                return ReferenceEquals(expanded, text) || expanded == text ? null : JsonValue.Create(expanded);
            default:
                return null;
        }
    }
}
