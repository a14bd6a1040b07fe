using Berth.Api;
using Berth.Oci.Errors;

namespace Berth.Engine.Containers;

/// <summary>
/// Device requests (<c>--gpus</c>, compose's <c>deploy.resources.reservations.devices</c>) are served by device
/// drivers such as NVIDIA's container toolkit. berthd registers none, so every request fails at start, with dockerd's
/// words for a request no driver matches: the container is created, and its start says why it cannot run.
/// </summary>
internal static class DeviceDrivers
{
    public static void Select(IReadOnlyList<DeviceRequest>? requests)
    {
        foreach (var request in requests ?? [])
            throw BerthException.Internal($"could not select device driver \"{request.Driver}\" with capabilities: {GoList(request.Capabilities ?? [])}");
    }

    /// <summary>A list of capability sets as Go's %v prints a [][]string: [[gpu utility] [compute]].</summary>
    private static string GoList(List<List<string>> sets) => $"[{string.Join(' ', sets.Select(set => $"[{string.Join(' ', set)}]"))}]";
}
