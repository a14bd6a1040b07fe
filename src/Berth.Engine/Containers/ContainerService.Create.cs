using System.Security.Cryptography;
using Berth.Api;
using Berth.Engine.Distribution.Manifests;
using Berth.Engine.Images;
using Berth.Oci.Errors;
using Berth.Oci.Images;
using Berth.Oci.References;
using Berth.Engine.Logs;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    private static readonly string[] KnownRestartPolicies = ["", "no", "always", "unless-stopped", "on-failure"];

    /// <summary>
    /// Creates a container from an image: merges the image's config into the request as Docker does and records it,
    /// with its network endpoints (planned by the caller) in the same write.
    /// </summary>
    public async Task<ContainerRecord> CreateAsync(string? name, ContainerConfig config, HostConfig hostConfig, CancellationToken cancellationToken,
        List<Networks.ContainerEndpoint>? endpoints = null, PlatformSpec? platform = null)
    {
        using var timing = Metrics.ContainerActions.Time("create");
        cancellationToken.ThrowIfCancellationRequested();
        if (string.IsNullOrEmpty(config.Image)) throw BerthException.Invalid("No image was specified");
        var image = _images.TryResolve(config.Image)
            ?? throw Images.ImageStore.NotFound(config.Image);
        if (platform is not null) ImagePlatforms.EnsureFor(image, config.Image, platform);
        Validate(hostConfig);
        if (hostConfig.Runtime is { Length: > 0 } runtimeName && !_options.Runtimes.Contains(runtimeName))
            throw Runtime.OciRuntimes.UnknownRuntime(runtimeName);
        ValidateJoinedNamespaces(hostConfig);

        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        string fullName = PickName(name);
        MergeImageConfig(config, image.Config.Config ?? new ImageRuntimeConfig());
        if (string.IsNullOrEmpty(config.Hostname)) config.Hostname = id[..12];
        NormalizeHostConfig(hostConfig);
        if (LogSettings.IsPlugin(hostConfig.LogConfig?.Type))
            await (LogPlugins?.RequireAsync(hostConfig.LogConfig!.Type!, cancellationToken) ?? throw LogSettings.PluginNotFound(hostConfig.LogConfig!.Type));

        var command = new List<string>();
        command.AddRange(config.Entrypoint ?? []);
        command.AddRange(config.Cmd ?? []);
        if (command.Count == 0 || (command.Count == 1 && command[0] == "" && (config.Cmd is null || config.Cmd.Count == 0)))
            throw BerthException.Invalid("No command specified");

        var record = new ContainerRecord
        {
            Id = id,
            Name = fullName,
            Created = DateTimeOffset.UtcNow,
            ImageId = image.Id,
            Path = command[0],
            Args = command.Skip(1).ToList(),
            Config = config,
            HostConfig = hostConfig,
        };
        if (endpoints is not null) record.Networking.Endpoints = endpoints;
        if (Volumes is not null) record.MountPoints = await Volumes.PlanAsync(record, cancellationToken);
        // The writable layer's directories are made (as Docker makes them at create) while the record is flushed to
        // disk, rather than at the start, where each new directory on a busy disk filesystem costs up to a millisecond.
        // A directory left without a record (a crash, the name taken meanwhile) is removed: here, or by the next Load.
        Directory.CreateDirectory(_store.DirOf(id));
        var layerDirectories = Task.Run(() =>
        {
            Directory.CreateDirectory(UpperDirOf(record));
            Directory.CreateDirectory(WorkDirOf(record));
        }, CancellationToken.None);
        try
        {
            _store.Add(record);
        }
        catch (BerthException)
        {
            // The name was taken meanwhile: the anonymous volumes made for this container would belong to no one.
            if (Volumes is not null) await Volumes.RemoveAnonymousAsync(record, CancellationToken.None);
            await layerDirectories.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            Directory.Delete(_store.DirOf(id), recursive: true);
            throw;
        }
        await layerDirectories;
        Publish(record, "create");
        return record;
    }

    private string PickName(string? requested)
    {
        if (!string.IsNullOrEmpty(requested))
        {
            if (!NameGenerator.IsValid(requested))
                throw BerthException.Invalid($"Invalid container name ({requested}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
            return requested.StartsWith('/') ? requested : "/" + requested;
        }
        for (int attempt = 0; ; attempt++)
        {
            string candidate = "/" + NameGenerator.Generate(attempt);
            if (!_store.NameTaken(candidate)) return candidate;
        }
    }

    /// <summary>The image's settings fill in whatever the request left empty (Docker's merge rules).</summary>
    private static void MergeImageConfig(ContainerConfig config, ImageRuntimeConfig image)
    {
        if (string.IsNullOrEmpty(config.User)) config.User = image.User ?? "";
        if (config.ExposedPorts is null || config.ExposedPorts.Count == 0)
            config.ExposedPorts = image.ExposedPorts?.ToDictionary(kv => kv.Key, _ => Berth.Api.Json.EmptyObject.Instance);
        else if (image.ExposedPorts is not null)
            foreach (var port in image.ExposedPorts.Keys) config.ExposedPorts.TryAdd(port, Berth.Api.Json.EmptyObject.Instance);

        var env = new List<string>(image.Env ?? []);
        foreach (var entry in config.Env ?? [])
        {
            string key = entry.Split('=', 2)[0];
            env.RemoveAll(e => e.Split('=', 2)[0] == key);
            env.Add(entry);
        }
        config.Env = env.Count == 0 ? null : env;

        // An explicit entrypoint drops the image's command; otherwise an empty command takes the image's.
        if (config.Entrypoint is null)
        {
            config.Entrypoint = image.Entrypoint;
            if (config.Cmd is null || config.Cmd.Count == 0) config.Cmd = image.Cmd;
        }
        else if (config.Entrypoint.Count == 1 && config.Entrypoint[0] == "")
        {
            config.Entrypoint = null;
        }
        if (string.IsNullOrEmpty(config.WorkingDir)) config.WorkingDir = image.WorkingDir ?? "";
        if (image.Labels is not null)
        {
            config.Labels ??= new Dictionary<string, string>();
            foreach (var (key, value) in image.Labels) config.Labels.TryAdd(key, value);
        }
        if (image.Volumes is not null)
        {
            config.Volumes ??= new Dictionary<string, Berth.Api.Json.EmptyObject>();
            foreach (var volume in image.Volumes.Keys) config.Volumes.TryAdd(volume, Berth.Api.Json.EmptyObject.Instance);
        }
        if (string.IsNullOrEmpty(config.StopSignal)) config.StopSignal = image.StopSignal;
        config.StopTimeout ??= image.StopTimeout;
        config.OnBuild ??= image.OnBuild;
        config.Healthcheck = Health.HealthSettings.Merge(config.Healthcheck, image.Healthcheck);
        config.Labels ??= new Dictionary<string, string>();
    }

    private static void Validate(HostConfig host)
    {
        if (host.Memory != 0 && host.Memory < 6 * 1024 * 1024)
            throw BerthException.Invalid("Minimum memory limit allowed is 6MB");
        if (host.Memory > 0 && host.MemorySwap > 0 && host.MemorySwap < host.Memory)
            throw BerthException.Invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        if (host.MemorySwap > 0 && host.Memory == 0)
            throw BerthException.Invalid("You should always set the Memory limit when using Memoryswap limit, see usage");
        if (host.NanoCpus > 0 && host.CpuPeriod > 0)
            throw BerthException.Invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        if (host.NanoCpus > 0 && host.CpuQuota > 0)
            throw BerthException.Invalid("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        if (host.NanoCpus < 0 || host.NanoCpus > Environment.ProcessorCount * 1_000_000_000L)
            throw BerthException.Invalid($"Range of CPUs is from 0.01 to {Environment.ProcessorCount}.00, as there are only {Environment.ProcessorCount} CPUs available");
        if (host.Isolation is { Length: > 0 } isolation && isolation != "default")
            throw BerthException.Internal($"Invalid isolation: \"{isolation}\" - linux only supports 'default'");
        string policy = host.RestartPolicy?.Name ?? "";
        if (!KnownRestartPolicies.Contains(policy)) throw BerthException.Invalid($"invalid restart policy: unknown policy '{policy}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        if (policy != "on-failure" && host.RestartPolicy?.MaximumRetryCount > 0)
            throw BerthException.Invalid($"invalid restart policy: maximum retry count can only be used with 'on-failure'");
        if (host.AutoRemove && policy is not ("" or "no"))
            throw BerthException.Invalid("can't create 'AutoRemove' container with restart policy");
        // dockerd's overlay2 takes storage options (a size quota) only on xfs mounted with pquota; berthd has no quotas.
        if (host.StorageOpt is { Count: > 0 })
            throw BerthException.Internal("--storage-opt is supported only for overlay over xfs with 'pquota' mount option");
        foreach (var (path, _) in host.Tmpfs ?? [])
            if (!path.StartsWith('/')) throw BerthException.Invalid($"invalid mount config for type \"tmpfs\": invalid mount path: '{path}' mount path must be absolute");
    }

    private void NormalizeHostConfig(HostConfig host)
    {
        if (string.IsNullOrEmpty(host.NetworkMode)) host.NetworkMode = "default";
        host.RestartPolicy ??= new RestartPolicy();
        if (string.IsNullOrEmpty(host.RestartPolicy.Name)) host.RestartPolicy.Name = "no";
        host.LogConfig = MergeDefaultLogConfig(host.LogConfig, _options.DefaultLogConfig);
        LogSettings.Validate(host.LogConfig);
        if (string.IsNullOrEmpty(host.IpcMode)) host.IpcMode = _options.DefaultIpcMode;
        // dockerd writes the default lists into a new unprivileged container, so inspect shows them.
        if (!host.Privileged)
        {
            host.MaskedPaths ??= [.. Runtime.Bundle.OciSpecBuilder.DefaultMaskedPaths];
            host.ReadonlyPaths ??= [.. Runtime.Bundle.OciSpecBuilder.DefaultReadonlyPaths];
        }
        if (string.IsNullOrEmpty(host.CgroupnsMode)) host.CgroupnsMode = _options.DefaultCgroupnsMode;
        if (host.ShmSize == 0) host.ShmSize = _options.DefaultShmSize;
        if (host.PidsLimit is <= 0) host.PidsLimit = null; // dockerd: zero or any negative limit is no limit
        if (host.MemorySwappiness == -1) host.MemorySwappiness = null; // the CLI's "unset"; dockerd keeps null
        // The default runtime's name, shown by inspect; its path and args are looked up at each start.
        if (string.IsNullOrEmpty(host.Runtime)) host.Runtime = _options.Runtimes.DefaultName;
    }

    /// <summary>
    /// dockerd's merge: no driver means the daemon's (log-driver), and a container on the daemon's driver gets the
    /// daemon's log-opts for every option it does not set itself.
    /// </summary>
    internal static LogConfig MergeDefaultLogConfig(LogConfig? requested, LogConfig daemonDefault)
    {
        var merged = new LogConfig { Type = requested?.Type ?? "", Config = new Dictionary<string, string>(requested?.Config ?? [], StringComparer.Ordinal) };
        if (string.IsNullOrEmpty(merged.Type)) merged.Type = daemonDefault.Type;
        if (merged.Type == daemonDefault.Type)
            foreach (var (key, value) in daemonDefault.Config ?? []) merged.Config.TryAdd(key, value);
        return merged;
    }
}
