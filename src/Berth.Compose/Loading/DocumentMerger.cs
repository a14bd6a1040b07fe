using System.Text.Json.Nodes;

namespace Berth.Compose.Loading;

/// <summary>
/// Merges the documents of several compose files, each later one over the ones before (compose-spec "merge" rules).
/// Outside services the rules are the generic ones: mappings merge key by key, a scalar or a mapping from the later
/// file replaces a scalar, sequences are appended without repeating an item already there, and a null in the later
/// file keeps the earlier value (an empty `key:` in an override file means "nothing to change"). Labels, anywhere,
/// are key/value maps whose list form is read as a map first. Services have their own per-field rules in
/// <see cref="ServiceMerger"/>.
/// </summary>
internal static class DocumentMerger
{
    /// <summary>Merges <paramref name="later"/> into <paramref name="earlier"/>, which is changed and returned.</summary>
    public static JsonObject Merge(JsonObject earlier, JsonObject later)
    {
        foreach (var (key, value) in later)
        {
            var merged = key == "services"
                ? MergeServices(earlier[key], value)
                : MergeNode(earlier[key], value, key);
            Set(earlier, key, merged);
        }
        return earlier;
    }

    private static JsonNode? MergeServices(JsonNode? earlier, JsonNode? later)
    {
        if (later is not JsonObject laterServices || earlier is not JsonObject earlierServices)
            return later is null ? earlier : later.DeepClone();
        foreach (var (name, service) in laterServices)
        {
            var merged = service is JsonObject laterService && earlierServices[name] is JsonObject earlierService
                ? ServiceMerger.Merge(earlierService, laterService)
                : service is null && earlierServices.ContainsKey(name) ? earlierServices[name] : service?.DeepClone();
            Set(earlierServices, name, merged);
        }
        return earlierServices;
    }

    /// <summary>The generic rule, used outside services and for service fields without a rule of their own.</summary>
    public static JsonNode? MergeNode(JsonNode? earlier, JsonNode? later, string key)
    {
        if (later is null)
            return earlier;
        if (earlier is null)
            return later.DeepClone();
        if (key is "labels" or "annotations")
            return MergeForms.MergeKeyValues(earlier, later);
        switch (earlier, later)
        {
            case (JsonObject earlierMap, JsonObject laterMap):
                foreach (var (childKey, value) in laterMap)
                    Set(earlierMap, childKey, MergeNode(earlierMap[childKey], value, childKey));
                return earlierMap;
            case (JsonArray earlierList, JsonArray laterList):
                return MergeForms.AppendUnique(earlierList, laterList);
            default:
                return later.DeepClone();
        }
    }

    /// <summary>Stores a merge result, unless it is the very node already there (a node can have one parent only).</summary>
    public static void Set(JsonObject mapping, string key, JsonNode? value)
    {
        if (mapping.TryGetPropertyValue(key, out var existing) && ReferenceEquals(existing, value) && value is not null)
            return;
        mapping[key] = value;
    }
}
