using Berth.Api;
using Berth.Engine.Runtime.Bundle;
using Berth.Oci.Errors;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    private const string ContainerModePrefix = "container:";

    /// <summary>
    /// At create, as dockerd checks them: a --pid or --ipc container:NAME must name an existing container (400
    /// otherwise); whether it runs is the start's question.
    /// </summary>
    private void ValidateJoinedNamespaces(HostConfig host)
    {
        foreach (string? mode in new[] { host.PidMode, host.IpcMode })
            if (DonorOf(mode) is { } donor && _store.TryGet(donor) is null) throw BerthException.Invalid($"No such container: {donor}");
    }

    /// <summary>The container's PID namespace: its own, the host's, or a running container's (--pid container:NAME).</summary>
    internal NamespaceMode PidNamespaceOf(ContainerRecord container)
    {
        string mode = container.HostConfig.PidMode ?? "";
        if (mode == "host") return NamespaceMode.Host;
        if (DonorOf(mode) is not { } name) return NamespaceMode.Private;
        var donor = _store.Get(name);
        if (!donor.State.Running) throw BerthException.Internal($"container {donor.Id} is not running");
        return NamespaceMode.Join($"/proc/{donor.State.Pid}/ns/pid");
    }

    /// <summary>
    /// The container's IPC namespace: its own (private or shareable), none (no /dev/shm), the host's, or that of a
    /// running shareable container (--ipc container:NAME, checked as dockerd checks it), whose /dev/shm it binds too
    /// (<see cref="ShmSourceOf"/>).
    /// </summary>
    internal NamespaceMode IpcNamespaceOf(ContainerRecord container)
    {
        string mode = container.HostConfig.IpcMode ?? "";
        if (mode == "host") return NamespaceMode.Host;
        if (mode == "none") return NamespaceMode.None;
        if (DonorOf(mode) is not { } name) return NamespaceMode.Private;
        var donor = _store.Get(name);
        if (!donor.State.Running)
            throw BerthException.Internal($"can't join IPC of container {donor.Id}: container {donor.Id} is not running");
        if (donor.HostConfig.IpcMode is not ("shareable" or "host"))
            throw BerthException.Internal($"can't join IPC of container {donor.Id}: non-shareable IPC (hint: use IpcMode:shareable for the donor container)");
        if (donor.HostConfig.IpcMode == "host") return NamespaceMode.Host;
        return NamespaceMode.Join($"/proc/{donor.State.Pid}/ns/ipc");
    }

    private static string? DonorOf(string? mode) =>
        mode is not null && mode.StartsWith(ContainerModePrefix, StringComparison.Ordinal) ? mode[ContainerModePrefix.Length..] : null;
}
