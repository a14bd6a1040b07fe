using Berth.Api;
using Berth.Daemon.Hosting;
using Berth.Engine.Volumes;
using Berth.Oci.Errors;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// GET /system/df: what images, containers and volumes hold on disk, as dockerd reports it. Sizes are read when asked
/// (a walk of each container's writable layer and each volume), so the request costs what `docker system df` costs.
/// </summary>
public static class DiskUsageMapping
{
    /// <summary>The object kinds of the `type` query parameter (API 1.42+); none given means all.</summary>
    [Flags]
    public enum Kinds
    {
        None = 0,
        Containers = 1,
        Images = 2,
        Volumes = 4,
        BuildCache = 8,
        All = Containers | Images | Volumes | BuildCache,
    }

    public static Kinds Parse(IEnumerable<string> types, bool typeSupported)
    {
        var kinds = Kinds.None;
        if (!typeSupported) return Kinds.All;
        foreach (string type in types)
        {
            kinds |= type switch
            {
                "container" => Kinds.Containers,
                "image" => Kinds.Images,
                "volume" => Kinds.Volumes,
                "build-cache" => Kinds.BuildCache,
                _ => throw BerthException.Invalid($"unknown object type: {type}"),
            };
        }
        return kinds == Kinds.None ? Kinds.All : kinds;
    }

    public static SystemDfResponse Build(DaemonServices services, Kinds kinds, bool withVirtualSize, bool withBuilderSize)
    {
        var response = new SystemDfResponse { Images = null, Containers = null, Volumes = null, BuildCache = null };
        var containers = services.Containers.List();
        if (kinds.HasFlag(Kinds.Images))
        {
            response.LayersSize = services.Layers.List().Sum(chainId => services.Layers.Exists(chainId) ? services.Layers.Get(chainId).Size : 0);
            // As `docker images` without -a: an untagged image that other images stand on (a build step) is not listed.
            var images = services.Images.List()
                .Where(image => image.RepoTags.Count > 0 || services.Images.ChildrenOf(image.Id).Count == 0)
                .ToList();
            // A layer is shared when more than one image stands on it; what it holds counts in each such image's SharedSize.
            var users = images.SelectMany(i => i.ChainIds.Distinct()).GroupBy(c => c, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            response.Images = images
                .OrderByDescending(i => i.Config.Created)
                .Select(image =>
                {
                    var summary = ImageMapping.Summary(image, containers.Count(c => c.ImageId == image.Id), withVirtualSize);
                    summary.SharedSize = image.ChainIds.Distinct().Where(c => users[c] > 1).Sum(LayerSize);
                    return summary;
                })
                .ToList();
        }
        if (kinds.HasFlag(Kinds.Containers))
        {
            var now = DateTimeOffset.UtcNow;
            response.Containers = containers.Select(container =>
            {
                var summary = ContainerMapping.Summary(container, now);
                ContainerSizes.Fill(summary, container, services);
                return summary;
            }).ToList();
        }
        if (kinds.HasFlag(Kinds.Volumes))
        {
            var volumes = services.Volumes;
            var references = containers.SelectMany(c => (c.MountPoints ?? []).Where(m => m.IsVolume).Select(m => m.Name!).Distinct())
                .GroupBy(n => n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            response.Volumes = volumes.List().Select(volume =>
            {
                var resource = VolumeEndpoints.Resource(volume, volumes);
                resource.UsageData = new VolumeUsageData
                {
                    Size = volume.HasMountOptions ? 0 : volume.IsLocal ? VolumeService.SizeOf(volumes.DataDirOf(volume.Name)) : -1,
                    RefCount = references.GetValueOrDefault(volume.Name),
                };
                return resource;
            }).ToList();
        }
        // The classic builder keeps no cache of its own: an empty list, as dockerd answers when BuildKit's is empty.
        if (kinds.HasFlag(Kinds.BuildCache)) response.BuildCache = [];
        if (withBuilderSize) response.BuilderSize = 0;
        return response;

        long LayerSize(string chainId) => services.Layers.Exists(chainId) ? services.Layers.Get(chainId).Size : 0;
    }
}
