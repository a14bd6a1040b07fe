using System.Text.Json.Nodes;

namespace Berth.Compose.Model.Reading;

/// <summary>A service's <c>depends_on</c>: a list of services (started first), or a mapping with a condition.</summary>
internal static class DependsOnSyntax
{
    private static readonly HashSet<string> Conditions =
        ["service_started", "service_healthy", "service_completed_successfully"];

    public static Dictionary<string, DependsOn> Read(JsonNode? node, string path, string name, ProjectScope scope)
    {
        var dependencies = new Dictionary<string, DependsOn>(StringComparer.Ordinal);
        if (node is JsonObject mapping)
        {
            foreach (var (key, value) in mapping)
            {
                var itemPath = $"{path}.{key}";
                var options = RawNodes.Mapping(value, itemPath);
                var condition = RawNodes.String(options?["condition"], $"{itemPath}.condition") ?? "service_started";
                if (!Conditions.Contains(condition))
                    throw RawNodes.Invalid($"{itemPath}.condition", $"invalid condition \"{condition}\"");
                dependencies[key] = new DependsOn
                {
                    Condition = condition,
                    Restart = RawNodes.Bool(options?["restart"], $"{itemPath}.restart") ?? false,
                    Required = RawNodes.Bool(options?["required"], $"{itemPath}.required") ?? true,
                };
            }
        }
        else
        {
            foreach (var key in RawNodes.StringOrList(node, path))
                dependencies[key] = new DependsOn();
        }

        foreach (var (key, dependency) in dependencies)
        {
            // An optional dependency may be missing: Compose only warns and goes on without it.
            if (dependency.Required && !scope.ServiceNames.Contains(key))
                throw new ComposeException($"service \"{name}\" depends on undefined service \"{key}\": invalid compose project");
        }
        return dependencies;
    }
}
