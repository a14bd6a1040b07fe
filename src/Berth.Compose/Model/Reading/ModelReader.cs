using System.Text.Json.Nodes;
using Berth.Compose.Model.Reading;

namespace Berth.Compose.Model;

/// <summary>
/// Turns the loader's merged, interpolated document into the typed project: keys checked against the compose
/// specification, short syntax made long, paths made absolute, references checked, and the services of inactive
/// profiles set apart.
/// </summary>
public static class ModelReader
{
    public static ComposeProject Read(JsonObject document, ModelReaderContext context)
    {
        RawNodes.CheckKeys(document, AllowedKeys.TopLevel, "(root)");
        var services = RawNodes.Mapping(document["services"], "services") ?? [];
        var networks = TopLevelReader.Networks(document["networks"], context);
        var volumes = TopLevelReader.Volumes(document["volumes"], context);
        var secrets = TopLevelReader.FileObjects(document["secrets"], "secrets", AllowedKeys.Secret, context);
        var configs = TopLevelReader.FileObjects(document["configs"], "configs", AllowedKeys.Config, context);
        var scope = new ProjectScope(
            context,
            services.Select(entry => entry.Key).ToHashSet(StringComparer.Ordinal),
            networks.Keys.ToHashSet(StringComparer.Ordinal),
            volumes.Keys.ToHashSet(StringComparer.Ordinal),
            secrets.Keys.ToHashSet(StringComparer.Ordinal),
            configs.Keys.ToHashSet(StringComparer.Ordinal));

        var enabled = new Dictionary<string, ServiceConfig>(StringComparer.Ordinal);
        var disabled = new Dictionary<string, ServiceConfig>(StringComparer.Ordinal);
        foreach (var (name, node) in services)
        {
            var service = ServiceReader.Read(name, node, scope);
            (IsActive(service, context.Profiles) ? enabled : disabled)[name] = service;
        }

        return new ComposeProject
        {
            Name = context.ProjectName,
            WorkingDirectory = context.WorkingDirectory,
            ConfigFiles = context.ConfigFiles,
            Services = enabled,
            DisabledServices = disabled,
            Networks = networks,
            Volumes = volumes,
            Secrets = secrets,
            Configs = configs,
            Profiles = context.Profiles,
        };
    }

    /// <summary>A service without profiles always runs; one with profiles only when one of them is active.</summary>
    private static bool IsActive(ServiceConfig service, IReadOnlyList<string> active) =>
        service.Profiles.Count == 0 || active.Contains("*") || service.Profiles.Any(active.Contains);
}
