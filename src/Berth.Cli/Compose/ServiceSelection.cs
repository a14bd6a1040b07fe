using Berth.Compose;
using Berth.Compose.Model;

namespace Berth.Cli.Compose;

/// <summary>The services a command names, checked against the project, with their dependencies when asked.</summary>
public static class ServiceSelection
{
    /// <summary>The named services in the project's order (all of them when none is named).</summary>
    public static IReadOnlyDictionary<string, ServiceConfig> Select(ComposeProject project, IReadOnlyList<string> names, bool withDependencies)
    {
        if (names.Count == 0)
            return project.Services;
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!project.Services.ContainsKey(name))
                throw new ComposeException(project.DisabledServices.ContainsKey(name)
                    ? $"service \"{name}\" is not enabled by the active profiles"
                    : $"no such service: {name}");
            Add(name);
        }
        return project.Services.Where(s => wanted.Contains(s.Key)).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);

        void Add(string name)
        {
            if (!wanted.Add(name) || !withDependencies || !project.Services.TryGetValue(name, out var service))
                return;
            foreach (var dependency in service.DependsOn.Keys)
                Add(dependency);
        }
    }

    /// <summary>Names given on the command line, each checked to be a service of the project.</summary>
    public static IReadOnlyList<string> Check(ComposeProject project, IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            if (!project.Services.ContainsKey(name) && !project.DisabledServices.ContainsKey(name) && project.ConfigFiles.Count > 0)
                throw new ComposeException($"no such service: {name}");
        }
        return names;
    }
}
