using System.Text.Json.Nodes;

namespace Berth.Compose.Model.Reading;

/// <summary>
/// A service's <c>secrets</c> and <c>configs</c>: a name, or {source, target}. Secrets land under /run/secrets/,
/// configs at /NAME, unless a target says otherwise.
/// </summary>
internal static class FileReferenceSyntax
{
    public static List<ServiceFileReference> Read(
        JsonNode? node, string path, string service, IReadOnlySet<string> defined, bool secrets)
    {
        var references = new List<ServiceFileReference>();
        if (node is null)
            return references;
        if (node is not JsonArray items)
            throw RawNodes.Invalid(path, "must be a list");
        var kind = secrets ? "secret" : "config";
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = $"{path}.{i}";
            string source;
            string? target = null, uid = null, gid = null;
            int? mode = null;
            if (items[i] is JsonObject mapping)
            {
                source = RawNodes.RequiredString(mapping["source"], $"{itemPath}.source");
                target = RawNodes.String(mapping["target"], $"{itemPath}.target");
                uid = RawNodes.String(mapping["uid"], $"{itemPath}.uid");
                gid = RawNodes.String(mapping["gid"], $"{itemPath}.gid");
                mode = VolumeSyntax.ReadMode(mapping["mode"], $"{itemPath}.mode");
            }
            else
            {
                source = RawNodes.RequiredString(items[i], itemPath);
            }
            if (!defined.Contains(source))
                throw new ComposeException($"service \"{service}\" refers to undefined {kind} {source}: invalid compose project");

            target ??= source;
            if (!target.StartsWith('/'))
                target = secrets ? $"/run/secrets/{target}" : $"/{target}";
            references.Add(new ServiceFileReference { Source = source, Target = target, Uid = uid, Gid = gid, Mode = mode });
        }
        return references;
    }
}
