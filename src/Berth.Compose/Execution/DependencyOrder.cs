using Berth.Compose.Model;

namespace Berth.Compose.Execution;

/// <summary>
/// The order in which services start: every service after what it depends on. Besides depends_on, Compose counts
/// links, <c>network_mode: service:X</c> and <c>volumes_from: X</c> as dependencies, since the container of X must
/// exist before the dependent one can be created.
/// </summary>
public static class DependencyOrder
{
    /// <summary>The services a service needs, in the file's order, limited to services of the project.</summary>
    public static List<string> DependenciesOf(ComposeProject project, ServiceConfig service)
    {
        var result = new List<string>();
        void Add(string name)
        {
            if (name != service.Name && project.Services.ContainsKey(name) && !result.Contains(name))
                result.Add(name);
        }
        foreach (var name in service.DependsOn.Keys)
            Add(name);
        foreach (var link in service.Links)
            Add(link.Split(':')[0]);
        if (service.NetworkMode is { } mode && mode.StartsWith("service:", StringComparison.Ordinal))
            Add(mode["service:".Length..]);
        foreach (var from in service.VolumesFrom)
        {
            if (VolumesFromService(project, from) is { } source)
                Add(source);
        }
        return result;
    }

    /// <summary>The service a volumes_from entry names (<c>service:X[:mode]</c> or a bare service name), else null.</summary>
    public static string? VolumesFromService(ComposeProject project, string entry)
    {
        if (entry.StartsWith("container:", StringComparison.Ordinal))
            return null;
        string name = entry.StartsWith("service:", StringComparison.Ordinal) ? entry["service:".Length..] : entry;
        int colon = name.IndexOf(':');
        if (colon >= 0)
            name = name[..colon];
        return project.Services.ContainsKey(name) ? name : null;
    }

    /// <summary>
    /// Every service of the project, dependencies first; among independent services the file's order is kept.
    /// A cycle is Compose's error <c>dependency cycle detected: a -> b -> a</c>.
    /// </summary>
    public static List<string> Sort(ComposeProject project)
    {
        var order = new List<string>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var name in project.Services.Keys)
            Visit(project, name, done, path, order);
        return order;
    }

    /// <summary>The services named and, unless <paramref name="noDeps"/>, everything they need, in start order.</summary>
    public static List<string> Select(ComposeProject project, IReadOnlyList<string> services, bool noDeps)
    {
        var order = Sort(project);
        if (services.Count == 0)
            return order;
        foreach (var name in services)
        {
            if (!project.Services.ContainsKey(name))
                throw new ComposeException($"no such service: {name}");
        }
        var wanted = new HashSet<string>(services, StringComparer.Ordinal);
        if (!noDeps)
        {
            var pending = new Stack<string>(services);
            while (pending.TryPop(out var name))
            {
                foreach (var dependency in DependenciesOf(project, project.Services[name]))
                {
                    if (wanted.Add(dependency))
                        pending.Push(dependency);
                }
            }
        }
        return order.Where(wanted.Contains).ToList();
    }

    /// <summary>
    /// Each service's depth in the dependency graph: 0 for one that needs no other service, else one more than the
    /// deepest of what it needs. Services of one depth never depend on each other, so they can be acted on together.
    /// </summary>
    public static Dictionary<string, int> Levels(ComposeProject project)
    {
        var levels = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in Sort(project))
            levels[name] = DependenciesOf(project, project.Services[name]).Select(d => levels[d] + 1).DefaultIfEmpty(0).Max();
        return levels;
    }

    private static void Visit(ComposeProject project, string name, HashSet<string> done, List<string> path, List<string> order)
    {
        if (done.Contains(name))
            return;
        int index = path.IndexOf(name);
        if (index >= 0)
            throw new ComposeException("dependency cycle detected: " + string.Join(" -> ", path.Skip(index).Append(name)));
        path.Add(name);
        foreach (var dependency in DependenciesOf(project, project.Services[name]))
            Visit(project, dependency, done, path, order);
        path.RemoveAt(path.Count - 1);
        done.Add(name);
        order.Add(name);
    }
}
