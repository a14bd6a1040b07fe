using System.Text.Json;
using Berth.Oci.Errors;
using Berth.Oci.Images;
using Berth.Oci.Layers;
using Berth.Oci.References;
using ContainerConfig = Berth.Api.ContainerConfig;
using EmptyObject = Berth.Oci.Images.EmptyObject;
using HealthConfig = Berth.Api.HealthConfig;
using ImageRootFs = Berth.Oci.Images.ImageRootFs;

namespace Berth.Engine.Images;

/// <summary>What docker commit takes from a container.</summary>
public sealed record CommitSource(string ContainerId, string ImageId, ContainerConfig Config, string UpperDir);

/// <summary>The options of POST /commit.</summary>
public sealed record CommitOptions(string? Repository, string? Tag, string? Author, string? Comment, IReadOnlyList<string> Changes, ContainerConfig? Config);

public sealed partial class ImageService
{
    /// <summary>
    /// docker commit: the container's upper dir becomes one new layer on top of its image's layers (which are shared,
    /// not copied); the config is the requested one with --change applied, completed from the container's as Docker
    /// merges them.
    /// </summary>
    public async Task<Image> CommitAsync(CommitSource source, CommitOptions options, string tempDir, CancellationToken cancellationToken)
    {
        ImageReference? target = string.IsNullOrEmpty(options.Repository) ? null : ParseTagTarget(options.Repository, options.Tag);
        var parent = store.TryGet(source.ImageId) ?? throw BerthException.NotFound($"No such image: {source.ImageId}");

        var config = options.Config is null ? new ImageRuntimeConfig() : ToImageConfig(options.Config);
        ChangeInstructions.Apply(config, options.Changes);
        MergeFromContainer(config, source.Config);

        var layer = await RegisterLayerAsync(layerFile => Directory.Exists(source.UpperDir)
                ? LayerWriter.WriteOverlayDiffAsync(source.UpperDir, layerFile, cancellationToken)
                : new Berth.Oci.Layers.Tar.TarStreamWriter(layerFile).FinishAsync(cancellationToken).AsTask(),
            parent.TopChainId, tempDir, cancellationToken);

        var now = DateTimeOffset.UtcNow;
        var imageConfig = new ImageConfig
        {
            Architecture = parent.Config.Architecture,
            Variant = parent.Config.Variant,
            Os = parent.Config.Os,
            Author = string.IsNullOrEmpty(options.Author) ? null : options.Author,
            Comment = string.IsNullOrEmpty(options.Comment) ? null : options.Comment,
            Created = now,
            Container = source.ContainerId,
            Config = config,
            ContainerConfig = ToImageConfig(source.Config),
            RootFs = new ImageRootFs { DiffIds = [.. parent.Config.RootFs.DiffIds, layer.DiffId] },
            History =
            [
                .. parent.Config.History ?? [],
                new ImageHistory
                {
                    Created = now,
                    CreatedBy = string.Join(' ', source.Config.Cmd ?? []),
                    Author = string.IsNullOrEmpty(options.Author) ? null : options.Author,
                    Comment = string.IsNullOrEmpty(options.Comment) ? null : options.Comment,
                },
            ],
        };
        var image = await store.CreateAsync(JsonSerializer.SerializeToUtf8Bytes(imageConfig, OciImageJsonContext.Default.ImageConfig), parent.Id, cancellationToken);
        if (target is not null) store.Tag(image.Id, target);
        return store.TryGet(image.Id)!;
    }

    /// <summary>
    /// A layer written by <paramref name="writeTar"/> (a container's changes, as docker commit and a build step take
    /// them) to a temporary file, then registered from it on top of <paramref name="parentChainId"/>.
    /// </summary>
    private async Task<Berth.Engine.Snapshots.LayerRecord> RegisterLayerAsync(Func<Stream, Task> writeTar, string? parentChainId, string tempDir,
        CancellationToken cancellationToken)
    {
        string layerPath = Path.Combine(tempDir, "layer.tar");
        await using (var layerFile = File.Create(layerPath))
            await writeTar(layerFile);
        try
        {
            await using var layerFile = File.OpenRead(layerPath);
            return await layers.RegisterAsync(layerFile, parentChainId, null, cancellationToken);
        }
        finally
        {
            File.Delete(layerPath);
        }
    }

    /// <summary>Docker's merge: what the commit's config leaves unset comes from the container's.</summary>
    private static void MergeFromContainer(ImageRuntimeConfig config, ContainerConfig container)
    {
        if (string.IsNullOrEmpty(config.User)) config.User = NullIfEmpty(container.User);
        if (container.Env is { Count: > 0 })
        {
            config.Env ??= [];
            foreach (var variable in container.Env)
            {
                string key = variable.Split('=', 2)[0];
                if (!config.Env.Any(e => e.Split('=', 2)[0] == key)) config.Env.Add(variable);
            }
        }
        if (container.Labels is { Count: > 0 })
        {
            config.Labels ??= [];
            foreach (var (key, value) in container.Labels) config.Labels.TryAdd(key, value);
        }
        if (container.ExposedPorts is { Count: > 0 })
        {
            config.ExposedPorts ??= [];
            foreach (var port in container.ExposedPorts.Keys) config.ExposedPorts.TryAdd(port, EmptyObject.Instance);
        }
        if (config.Entrypoint is not { Count: > 0 })
        {
            if (config.Cmd is not { Count: > 0 })
            {
                config.Cmd = container.Cmd;
                config.ArgsEscaped = container.ArgsEscaped;
            }
            config.Entrypoint ??= container.Entrypoint;
        }
        if (string.IsNullOrEmpty(config.WorkingDir)) config.WorkingDir = NullIfEmpty(container.WorkingDir);
        if (container.Volumes is { Count: > 0 })
        {
            config.Volumes ??= [];
            foreach (var volume in container.Volumes.Keys) config.Volumes.TryAdd(volume, EmptyObject.Instance);
        }
        if (string.IsNullOrEmpty(config.StopSignal)) config.StopSignal = container.StopSignal;
        config.Healthcheck ??= ToImageHealthcheck(container.Healthcheck);
        if (config.OnBuild is not { Count: > 0 }) config.OnBuild = container.OnBuild;
    }

    private static ImageRuntimeConfig ToImageConfig(ContainerConfig config) => new()
    {
        Hostname = config.Hostname,
        Domainname = config.Domainname,
        User = config.User,
        ExposedPorts = config.ExposedPorts?.ToDictionary(kv => kv.Key, _ => EmptyObject.Instance),
        Env = config.Env is null ? null : [.. config.Env],
        Cmd = config.Cmd is null ? null : [.. config.Cmd],
        Entrypoint = config.Entrypoint is null ? null : [.. config.Entrypoint],
        Volumes = config.Volumes?.ToDictionary(kv => kv.Key, _ => EmptyObject.Instance),
        WorkingDir = config.WorkingDir,
        Labels = config.Labels is null ? null : new Dictionary<string, string>(config.Labels),
        StopSignal = config.StopSignal,
        StopTimeout = config.StopTimeout,
        Healthcheck = ToImageHealthcheck(config.Healthcheck),
        OnBuild = config.OnBuild,
        Shell = config.Shell,
        ArgsEscaped = config.ArgsEscaped,
    };

    private static ImageHealthcheck? ToImageHealthcheck(HealthConfig? health) => health is null ? null : new ImageHealthcheck
    {
        Test = health.Test,
        Interval = health.Interval,
        Timeout = health.Timeout,
        StartPeriod = health.StartPeriod,
        StartInterval = health.StartInterval,
        Retries = health.Retries,
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
