using Berth.Daemon.Hosting;
using Berth.Engine.Containers;
using Berth.Engine.Volumes;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// A container's disk use as dockerd reports it for <c>size=1</c> (list, inspect) and <c>/system/df</c>: SizeRw is
/// what its writable layer holds, SizeRootFs that plus its image's layers. Both are read when asked (a walk of the
/// writable layer), so only the requests that ask pay for them.
/// </summary>
public static class ContainerSizes
{
    public static (long Rw, long RootFs) Of(ContainerRecord container, DaemonServices services)
    {
        long rw = Math.Max(0, VolumeService.SizeOf(services.Containers.UpperDirOf(container)));
        long image = services.Images.TryGet(container.ImageId)?.Record.Size ?? 0;
        return (rw, rw + image);
    }

    /// <summary>Fills a list entry's sizes; dockerd's fields there are omitempty, so zero leaves them out.</summary>
    public static void Fill(Berth.Api.ContainerSummary summary, ContainerRecord container, DaemonServices services)
    {
        var (rw, rootFs) = Of(container, services);
        summary.SizeRw = rw == 0 ? null : rw;
        summary.SizeRootFs = rootFs == 0 ? null : rootFs;
    }
}
