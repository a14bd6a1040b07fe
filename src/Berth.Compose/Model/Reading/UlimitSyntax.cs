using System.Text.Json.Nodes;

namespace Berth.Compose.Model.Reading;

/// <summary>A service's <c>ulimits</c>: <c>nproc: 65535</c> (soft and hard alike) or <c>nofile: {soft, hard}</c>.</summary>
internal static class UlimitSyntax
{
    public static Dictionary<string, Ulimit> Read(JsonNode? node, string path)
    {
        var limits = new Dictionary<string, Ulimit>(StringComparer.Ordinal);
        var mapping = RawNodes.Mapping(node, path);
        if (mapping is null)
            return limits;
        foreach (var (name, value) in mapping)
        {
            var itemPath = $"{path}.{name}";
            if (value is JsonObject pair)
            {
                var soft = RawNodes.Long(pair["soft"], $"{itemPath}.soft") ?? throw RawNodes.Invalid(itemPath, "soft is required");
                var hard = RawNodes.Long(pair["hard"], $"{itemPath}.hard") ?? throw RawNodes.Invalid(itemPath, "hard is required");
                limits[name] = new Ulimit(soft, hard);
            }
            else
            {
                var both = RawNodes.Long(value, itemPath) ?? throw RawNodes.Invalid(itemPath, "must be a number");
                limits[name] = new Ulimit(both, both);
            }
        }
        return limits;
    }
}
