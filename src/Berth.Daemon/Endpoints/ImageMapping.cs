using Berth.Api;
using Berth.Engine.Images;
using Berth.Oci.Images;

namespace Berth.Daemon.Endpoints;

/// <summary>Engine images to the Engine API's image shapes.</summary>
public static class ImageMapping
{
    public static ImageSummary Summary(Image image, int containers, bool withVirtualSize) => new()
    {
        Id = image.Id,
        ParentId = image.Record.Parent ?? "",
        RepoTags = [.. image.RepoTags],
        RepoDigests = [.. image.RepoDigests],
        Created = image.Config.Created?.ToUnixTimeSeconds() ?? 0,
        Size = image.Record.Size,
        SharedSize = -1,
        Labels = image.Config.Config?.Labels,
        Containers = containers,
        VirtualSize = withVirtualSize ? image.Record.Size : null,
    };

    public static ImageInspect Inspect(Image image, bool withVirtualSize) => new()
    {
        Id = image.Id,
        RepoTags = [.. image.RepoTags],
        RepoDigests = [.. image.RepoDigests],
        Parent = image.Record.Parent ?? "",
        Comment = image.Config.Comment ?? image.Config.History?.LastOrDefault()?.Comment ?? "",
        Created = image.Config.Created is { } created ? ApiTime.Format(created) : ApiTime.Zero,
        Container = image.Config.Container ?? "",
        ContainerConfig = RuntimeConfig(image.Config.ContainerConfig),
        DockerVersion = image.Config.DockerVersion ?? "",
        Author = image.Config.Author ?? "",
        Config = RuntimeConfig(image.Config.Config) ?? new ContainerConfig(),
        Architecture = image.Config.Architecture,
        Variant = image.Config.Variant,
        Os = image.Config.Os,
        OsVersion = image.Config.OsVersion,
        Size = image.Record.Size,
        VirtualSize = withVirtualSize ? image.Record.Size : null,
        GraphDriver = new GraphDriverData { Name = "overlay2", Data = null },
        RootFS = new Berth.Api.ImageRootFs { Type = "layers", Layers = [.. image.Config.RootFs.DiffIds] },
        Metadata = new ImageMetadata { LastTagTime = image.Record.LastTagTime is { } t ? ApiTime.Format(t) : ApiTime.Zero },
    };

    public static ContainerConfig? RuntimeConfig(ImageRuntimeConfig? config)
    {
        if (config is null) return null;
        return new ContainerConfig
        {
            Hostname = config.Hostname ?? "",
            Domainname = config.Domainname ?? "",
            User = config.User ?? "",
            ExposedPorts = config.ExposedPorts?.ToDictionary(kv => kv.Key, _ => Berth.Api.Json.EmptyObject.Instance),
            Env = config.Env,
            Cmd = config.Cmd,
            Healthcheck = config.Healthcheck is { } h ? new HealthConfig { Test = h.Test, Interval = h.Interval, Timeout = h.Timeout, StartPeriod = h.StartPeriod, Retries = h.Retries } : null,
            ArgsEscaped = config.ArgsEscaped,
            Image = "",
            Volumes = config.Volumes?.ToDictionary(kv => kv.Key, _ => Berth.Api.Json.EmptyObject.Instance),
            WorkingDir = config.WorkingDir ?? "",
            Entrypoint = config.Entrypoint,
            OnBuild = config.OnBuild,
            Labels = config.Labels,
            StopSignal = config.StopSignal,
            StopTimeout = config.StopTimeout,
            Shell = config.Shell,
        };
    }

    /// <summary>docker history: newest first; layers' sizes go to the history entries that made a layer.</summary>
    public static List<ImageHistoryItem> History(Image image, Func<string, long> layerSize, Func<string, Image?> lookup)
    {
        var items = new List<ImageHistoryItem>();
        var history = image.Config.History ?? [];
        int layerIndex = 0;
        foreach (var entry in history)
        {
            long size = 0;
            if (!entry.EmptyLayer && layerIndex < image.ChainIds.Count)
                size = layerSize(image.ChainIds[layerIndex++]);
            items.Add(new ImageHistoryItem
            {
                Id = "<missing>",
                Created = entry.Created?.ToUnixTimeSeconds() ?? 0,
                CreatedBy = entry.CreatedBy ?? "",
                Comment = entry.Comment ?? "",
                Size = size,
                Tags = null,
            });
        }
        if (items.Count == 0)
            items.Add(new ImageHistoryItem { Id = "<missing>", Created = image.Config.Created?.ToUnixTimeSeconds() ?? 0, Size = image.Record.Size });
        items.Reverse();
        // Each local ancestor (commit and build record the parent) names the entry where its own history ends.
        for (var ancestor = image; ancestor is not null; ancestor = ancestor.Record.Parent is { } parent ? lookup(parent) : null)
        {
            int index = items.Count - Math.Max(ancestor.Config.History?.Count ?? 0, 1);
            if (index < 0 || index >= items.Count) break;
            items[index].Id = ancestor.Id;
            items[index].Tags = ancestor.RepoTags.Count > 0 ? [.. ancestor.RepoTags] : null;
        }
        return items;
    }
}
