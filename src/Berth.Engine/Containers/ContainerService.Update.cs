using System.Text.Json;
using Berth.Api;
using Berth.Engine.Runtime.Bundle;
using Berth.Oci.Errors;

namespace Berth.Engine.Containers;

/// <summary>
/// docker update: the new limits are kept in HostConfig (a stopped container starts with them) and, when the
/// container runs (paused included), applied at once with <c>runc update</c>. A failure leaves HostConfig as it was.
/// </summary>
public sealed partial class ContainerService
{
    private UpdateHostInfo? _updateHost;

    public async Task<IReadOnlyList<string>> UpdateAsync(string idOrName, ContainerUpdateRequest request, CancellationToken cancellationToken)
    {
        var container = _store.Get(idOrName);
        var host = _updateHost ??= UpdateHostInfo.Read(HostLimits.Current.CgroupV2, HostLimits.Current.SwapLimitSupported);
        var warnings = ResourceUpdate.Validate(request, host);
        var runtime = RuntimeOf(container.Id);
        await runtime.Lock.WaitAsync(cancellationToken);
        try
        {
            if (container.State.Dead || container.State.RemovalInProgress)
                throw BerthException.Conflict($"Cannot update container {container.Id}: container is marked for removal and cannot be \"update\"");
            await DiscardPreparedStartLockedAsync(runtime); // created ahead with the limits being changed
            var updated = Clone(container.HostConfig);
            ResourceUpdate.Merge(container.Id, updated, request, host.SwapLimitSupported);
            if (container.State.Running && !container.State.Restarting)
            {
                var options = ResourceUpdate.RuncOptions(request);
                if (options.Count > 0)
                {
                    var (exitCode, error) = await ExecRuntimeAsync("update", options, container, cancellationToken);
                    if (exitCode != 0)
                        throw BerthException.Internal($"Cannot update container {container.Id}: runc did not terminate successfully: exit status {exitCode}: {error}");
                }
            }
            container.HostConfig = updated;
            _store.Save(container);
        }
        finally
        {
            runtime.Lock.Release();
        }
        Publish(container, "update");
        return warnings;
    }

    /// <summary>A deep copy through the stored form, so a refused update leaves the live record untouched.</summary>
    private static HostConfig Clone(HostConfig host) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(host, ApiJson.Context.HostConfig), ApiJson.Context.HostConfig)!;
}
