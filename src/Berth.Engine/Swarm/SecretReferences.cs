using System.Text.Json.Nodes;
using Berth.Oci.Errors;

namespace Berth.Engine.Swarm;

/// <summary>
/// A ContainerSpec's Secrets and Configs (<c>{"File":{Name,UID,GID,Mode},"SecretID","SecretName"}</c>, the config's
/// members named Config*), checked as swarmkit checks them when a service is created or updated.
/// </summary>
public static class SecretReferences
{
    /// <summary>One reference: the object it names, and the file it becomes (null for a config's Runtime target).</summary>
    public sealed record Reference(string Id, string Name, string? Target, string Uid, string Gid, uint Mode);

    public static IReadOnlyList<Reference> Read(SwarmObjectKind kind, JsonObject containerSpec)
    {
        string word = SwarmSecrets.Word(kind), member = kind == SwarmObjectKind.Secret ? "Secret" : "Config";
        if (containerSpec[member + "s"] is not JsonArray items) return [];
        var references = new List<Reference>();
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items.OfType<JsonObject>())
        {
            string id = Text(item[member + "ID"]), name = Text(item[member + "Name"]);
            var file = item["File"] as JsonObject;
            // dockerd converts the reference before swarmkit sees it, and words this one itself.
            if (kind == SwarmObjectKind.Config && file is null && item["Runtime"] is null)
                throw BerthException.Invalid("invalid Config: either File or Runtime should be set");
            if (id.Length == 0 || name.Length == 0) throw SwarmErrors.Invalid($"malformed {word} reference");
            if (file is null)
            {
                if (kind == SwarmObjectKind.Secret) throw SwarmErrors.Invalid("malformed secret reference, no target provided");
                references.Add(new Reference(id, name, null, "0", "0", 0));
                continue;
            }
            string target = Text(file["Name"]);
            if (target.Length == 0) throw SwarmErrors.Invalid($"malformed file {word} reference, invalid target file name provided");
            if (targets.TryGetValue(target, out string? previous))
                throw SwarmErrors.Invalid($"{word} references '{previous}' and '{name}' have a conflicting target: '{target}'");
            targets[target] = name;
            references.Add(new Reference(id, name, target, Text(file["UID"]), Text(file["GID"]), (uint)(file["Mode"]?.GetValue<long>() ?? 0)));
        }
        return references;
    }

    /// <summary>Where the file appears in the container: a relative name under /run/secrets for a secret, under / for a config.</summary>
    public static string ContainerPath(SwarmObjectKind kind, string target)
    {
        string root = kind == SwarmObjectKind.Secret ? "/run/secrets" : "/";
        // Go's filepath.Join cleans the result; a full path resolved against "/" does the same without touching the host.
        return Path.GetFullPath(target.StartsWith('/') ? target : Path.Combine(root, target), "/");
    }

    private static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : "";
}
