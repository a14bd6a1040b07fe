using Berth.Compose;
using Berth.Compose.Execution;
using Berth.Compose.Model;

namespace Berth.Cli.Compose;

/// <summary>The services a command names, checked against the project, with their dependencies when asked.</summary>
public static class ServiceSelection
{
    /// <summary>The named services (all when none) and, when asked, what they depend on, in start order.</summary>
    public static IReadOnlyDictionary<string, ServiceConfig> Select(ComposeProject project, IReadOnlyList<string> names, bool withDependencies)
    {
        foreach (var name in names)
        {
            if (project.DisabledServices.ContainsKey(name))
                throw new ComposeException($"service \"{name}\" is not enabled by the active profiles");
        }
        return DependencyOrder.Select(project, names, noDeps: !withDependencies)
            .ToDictionary(name => name, name => project.Services[name], StringComparer.Ordinal);
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
