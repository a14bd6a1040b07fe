using Berth.Shim.Native;

namespace Berth.Shim.Runtime;

/// <summary>
/// What <c>runc delete</c> does for a container whose init has exited, without spawning runc (~10 ms a container).
/// runc's destroy() of a stopped container removes its cgroup directories (the paths its state.json records, one per
/// v1 controller or the one v2 directory), then its state directory. Before that it kills what is left in the cgroup
/// when the container shares a PID namespace, and afterwards it runs poststop hooks and removes an Intel RDT group:
/// containers with any of those are left to runc, as is any cgroup directory that won't go (processes left in it,
/// sub-groups), so that runc's own retries and kill apply. Nothing is removed before every check has passed.
/// </summary>
internal static class StoppedContainerCleanup
{
    private const string StateFile = "state.json";

    /// <summary>Null once the container's cgroups and state are gone; otherwise why runc has to do it.</summary>
    public static string? TryRemove(string runtimeRoot, string id)
    {
        string stateDir = Path.Combine(runtimeRoot, id);
        try
        {
            byte[] state = Fd.ReadFile(Path.Combine(stateDir, StateFile), 8 << 20);
            if (WhyRuncIsNeeded(state) is { } why) return why;
            if (!JsonMembers.TryGet(state, "cgroup_paths"u8, out var raw) || JsonTree.Parse(raw) is not Dictionary<string, object?> cgroups)
                return "no cgroup paths";
            foreach (var (_, value) in cgroups)
            {
                if (value is not string path || path.Length == 0) continue;
                try
                {
                    // rmdir alone: it fails while the group holds processes or sub-groups, which runc then deals with.
                    Directory.Delete(path, recursive: false);
                }
                catch (DirectoryNotFoundException)
                {
                    // co-mounted controllers (cpu,cpuacct) share one directory; already gone is what we want
                }
                catch (IOException e)
                {
                    return $"rmdir {path}: {e.Message}";
                }
            }
            Directory.Delete(stateDir, recursive: true);
            return null;
        }
        catch (Exception e) when (e is UnixError or InvalidDataException or InvalidCastException or FormatException or IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    /// <summary>Reads only the members that matter (see <see cref="JsonMembers"/>).</summary>
    private static string? WhyRuncIsNeeded(ReadOnlySpan<byte> state)
    {
        if (!JsonMembers.TryGet(state, "config"u8, out var config)) return "no config";
        bool ownPidNamespace = false;
        if (JsonMembers.TryGet(config, "namespaces"u8, out var raw) && JsonTree.Parse(raw) is List<object?> namespaces)
        {
            foreach (var item in namespaces)
            {
                if (item is Dictionary<string, object?> ns && ns.String("type") == "NEWPID")
                    ownPidNamespace = string.IsNullOrEmpty(ns.String("path"));
            }
        }
        if (!ownPidNamespace) return "shares a PID namespace";
        if (JsonMembers.TryGet(config, "Hooks"u8, out raw) && JsonTree.Parse(raw) is Dictionary<string, object?> hooks)
        {
            foreach (var (_, list) in hooks)
                if (list is List<object?> { Count: > 0 }) return "has hooks";
        }
        if (JsonMembers.TryGet(state, "intel_rdt_path"u8, out raw) && JsonTree.Parse(raw) is string { Length: > 0 }) return "has an Intel RDT group";
        return null;
    }
}
