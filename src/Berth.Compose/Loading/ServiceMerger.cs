using System.Text.Json.Nodes;

namespace Berth.Compose.Loading;

/// <summary>
/// Merges one service of a later file into the same service of an earlier one, field by field. Each rule below is
/// the compose-spec's for that field; a field without a rule follows the generic rule of <see cref="DocumentMerger"/>.
/// A null in the later file keeps the earlier value.
/// </summary>
internal static class ServiceMerger
{
    /// <summary>
    /// Sequences of independent items: the later items are appended, an item exactly equal to one already there is
    /// dropped (so an override file can repeat a port without publishing it twice). A single string counts as a
    /// one-item sequence.
    /// </summary>
    private static readonly HashSet<string> AppendedFields =
    [
        "ports", "expose", "dns", "dns_search", "cap_add", "cap_drop", "security_opt", "env_file", "tmpfs", "profiles",
        "devices", "links", "external_links", "volumes_from",
    ];

    /// <summary>Key/value maps whose list form (`KEY=VALUE`, `KEY`) is read as a map first; then the later key wins.</summary>
    private static readonly HashSet<string> KeyValueFields =
    [
        "environment", "labels", "annotations", "sysctls", "build.args", "build.labels", "deploy.labels",
    ];

    /// <summary>Values that are one whole: the later one replaces the earlier one instead of adding to it.</summary>
    private static readonly HashSet<string> ReplacedFields = ["command", "entrypoint", "healthcheck.test"];

    public static JsonObject Merge(JsonObject earlier, JsonObject later)
    {
        foreach (var (field, value) in later)
            DocumentMerger.Set(earlier, field, MergeField(field, earlier[field], value));
        return earlier;
    }

    /// <param name="field">The dotted path inside the service (`build.args`), which picks the rule.</param>
    private static JsonNode? MergeField(string field, JsonNode? earlier, JsonNode? later)
    {
        if (later is null)
            return earlier;
        if (earlier is null || ReplacedFields.Contains(field))
            return later.DeepClone();
        if (KeyValueFields.Contains(field))
            return MergeForms.MergeKeyValues(earlier, later);
        if (AppendedFields.Contains(field))
            return MergeForms.AppendUnique(earlier, later);
        return field switch
        {
            "extra_hosts" => MergeExtraHosts(earlier, later),
            // A volume is identified by where it is mounted: a later mount on the same target replaces the earlier one.
            "volumes" => MergeForms.MergeByKey(earlier, later, VolumeTarget),
            // Secrets and configs are identified by the top-level object they grant.
            "secrets" or "configs" => MergeForms.MergeByKey(earlier, later, Source),
            // `networks: [a, b]` is `networks: {a: null, b: null}`; then networks merge by name.
            "networks" => MergeMaps(field, MergeForms.AsNamedMap(earlier, () => null), MergeForms.AsNamedMap(later.DeepClone(), () => null)),
            // `depends_on: [db]` is `depends_on: {db: {condition: service_started}}`; then dependencies merge by name.
            "depends_on" => MergeMaps(field, MergeForms.AsNamedMap(earlier, StartedCondition), MergeForms.AsNamedMap(later.DeepClone(), StartedCondition)),
            // `build: ./dir` is `build: {context: ./dir}` when the other file has the long form.
            "build" when earlier is JsonObject || later is JsonObject => MergeMaps(field, AsBuildMap(earlier), AsBuildMap(later.DeepClone())),
            _ => (earlier, later) switch
            {
                (JsonObject earlierMap, JsonObject laterMap) => MergeMaps(field, earlierMap, laterMap),
                (JsonArray, JsonArray) => MergeForms.AppendUnique(earlier, later),
                _ => later.DeepClone(),
            },
        };
    }

    private static JsonObject MergeMaps(string field, JsonObject earlier, JsonObject later)
    {
        foreach (var (key, value) in later)
            DocumentMerger.Set(earlier, key, MergeField($"{field}.{key}", earlier[key], value));
        return earlier;
    }

    /// <summary>
    /// extra_hosts: two lists are appended (a host may map to several addresses); when either file uses the map form,
    /// both are read as maps (`host=ip` or `host:ip`) and the later host wins.
    /// </summary>
    private static JsonNode MergeExtraHosts(JsonNode earlier, JsonNode later)
    {
        if (earlier is not JsonObject && later is not JsonObject)
            return MergeForms.AppendUnique(earlier, later);
        return MergeForms.MergeKeyValues(earlier, later, entry =>
        {
            var separator = entry.IndexOf('=');
            if (separator < 0)
                separator = entry.IndexOf(':');
            return separator < 0 ? (entry, null) : (entry[..separator], entry[(separator + 1)..]);
        });
    }

    private static JsonObject StartedCondition() => new() { ["condition"] = "service_started" };

    private static JsonObject AsBuildMap(JsonNode node) =>
        node as JsonObject ?? new JsonObject { ["context"] = node.DeepClone() };

    /// <summary>Where a service volume is mounted: `src:dst[:mode]` or `dst` alone, or the long form's `target`.</summary>
    private static string? VolumeTarget(JsonNode? volume)
    {
        if (volume is JsonObject longForm)
            return MergeForms.Text(longForm["target"]);
        if (MergeForms.Text(volume) is not { } shortForm)
            return null;
        var parts = shortForm.Split(':');
        return parts.Length == 1 ? parts[0] : parts[1];
    }

    private static string? Source(JsonNode? reference) =>
        reference is JsonObject longForm ? MergeForms.Text(longForm["source"]) : MergeForms.Text(reference);
}
