using Berth.Client;
using Berth.Client.Build;
using Berth.Compose.Model;

namespace Berth.Compose.Execution;

/// <summary>
/// Makes each service's image present, as pull_policy (or the command's --pull) says: pull what is missing, build
/// what has a build section, pull or build every time with "always" or "build". Returns the image IDs.
/// </summary>
internal sealed class ImageEnsurer(EngineClient client, ComposeProject project, IComposeProgress progress, RegistryAccess registry,
    BuildContextPreparer prepareContext)
{
    /// <summary>The image a service runs: its <c>image</c>, or <c>{project}-{service}</c> for a built one.</summary>
    public static string ImageName(ComposeProject project, ServiceConfig service)
        => service.Image is { Length: > 0 } image ? image : $"{project.Name}-{service.Name}".ToLowerInvariant();

    /// <param name="build">Build every service that has a build section (up --build).</param>
    /// <param name="noBuild">Never build; a missing image is an error.</param>
    public async Task<Dictionary<string, string>> EnsureAsync(IEnumerable<ServiceConfig> services, string? pullOverride, bool build, bool noBuild,
        BuildOptions buildOptions, CancellationToken ct)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var pulled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            string image = ImageName(project, service);
            string policy = NormalizePolicy(pullOverride ?? service.PullPolicy);
            bool buildable = service.Build is not null && !noBuild;
            if (buildable && (build || policy == "build"))
            {
                ids[service.Name] = await BuildAsync(service, buildOptions, ct);
                continue;
            }
            if (policy == "always" && pulled.Add(image))
            {
                if (!await TryPullAsync(service, image, throwIfNotBuildable: !buildable, ct))
                {
                    ids[service.Name] = await BuildAsync(service, buildOptions, ct);
                    continue;
                }
            }
            if (await ImageIdAsync(image, ct) is { } present)
            {
                ids[service.Name] = present;
                continue;
            }
            if (service.Build is not null && noBuild)
                throw new ComposeException($"service \"{service.Name}\" has neither an image nor a build context specified: image {image} is missing and --no-build was given");
            if (policy == "never")
                throw new ComposeException($"No such image: {image}");
            // With both image and build, Compose tries the registry first and builds when the pull fails.
            if (service.Image is { Length: > 0 } && pulled.Add(image) && await TryPullAsync(service, image, throwIfNotBuildable: !buildable, ct))
            {
                ids[service.Name] = await ImageIdAsync(image, ct) ?? throw new ComposeException($"No such image: {image}");
                continue;
            }
            if (!buildable)
                throw new ComposeException($"No such image: {image}");
            ids[service.Name] = await BuildAsync(service, buildOptions, ct);
        }
        return ids;
    }

    /// <summary>pull_policy values Compose takes as "missing": if_not_present, daily, weekly, every_...</summary>
    private static string NormalizePolicy(string? policy) => policy switch
    {
        "always" or "never" or "build" => policy,
        _ => "missing",
    };

    public async Task<string?> ImageIdAsync(string image, CancellationToken ct)
    {
        try
        {
            var inspect = await client.InspectImageAsync(image, ct);
            return inspect.Str("Id");
        }
        catch (EngineApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Pulls; a failure is thrown unless the service can be built instead (then false).</summary>
    public async Task<bool> TryPullAsync(ServiceConfig service, string image, bool throwIfNotBuildable, CancellationToken ct)
    {
        progress.Report("Image", image, "Pulling");
        try
        {
            var (name, tag) = SplitTag(image);
            var stream = await client.PullImageAsync(name, tag, service.Platform, await registry.AuthForAsync(image, ct), ct);
            await DaemonStream.DrainAsync(stream, progress, "Image", image, ct);
        }
        catch (Exception e) when (e is EngineApiException or ComposeException && !throwIfNotBuildable)
        {
            progress.Report("Image", image, "Error");
            progress.Warn($"pull of {image} failed: {e.Message}; building it instead");
            return false;
        }
        catch (EngineApiException e)
        {
            progress.Report("Image", image, "Error");
            throw new ComposeException(e.Message);
        }
        progress.Report("Image", image, "Pulled");
        return true;
    }

    /// <summary>Splits "repo:tag" (a digest stays in the name; a port's colon is not a tag).</summary>
    public static (string Name, string? Tag) SplitTag(string image)
    {
        if (image.Contains('@'))
            return (image, null);
        int colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    public async Task<string> BuildAsync(ServiceConfig service, BuildOptions options, CancellationToken ct)
    {
        var build = service.Build ?? throw new ComposeException($"service \"{service.Name}\" has no build section");
        if (build.Context.Contains("://", StringComparison.Ordinal) || build.Context.StartsWith("git@", StringComparison.Ordinal))
            throw new ComposeException($"service \"{service.Name}\": remote build contexts are not supported ({build.Context})");
        string image = ImageName(project, service);
        progress.Report("Service", service.Name, "Building");
        var (writeContext, dockerfile) = prepareContext(build.Context, build.Dockerfile, build.DockerfileInline);
        var args = new Dictionary<string, string?>(build.Args, StringComparer.Ordinal);
        foreach (var (key, value) in options.BuildArgs)
        {
            if (value is not null || !args.ContainsKey(key))
                args[key] = value;
        }
        var request = new ImageBuildOptions
        {
            Tags = [image, .. build.Tags],
            Dockerfile = dockerfile,
            BuildArgs = args,
            Labels = build.Labels,
            CacheFrom = build.CacheFrom,
            ExtraHosts = build.ExtraHosts,
            NoCache = build.NoCache || options.NoCache,
            Pull = build.Pull || options.Pull,
            Target = build.Target,
            NetworkMode = build.Network,
            Platform = service.Platform,
            ShmSize = build.ShmSize ?? 0,
            Quiet = options.Quiet,
        };
        Stream stream;
        try
        {
            stream = await client.BuildImageAsync(request, writeContext, await registry.BuildConfigAsync(ct), ct);
        }
        catch (EngineApiException e)
        {
            throw new ComposeException(e.Message);
        }
        string? id = await DaemonStream.DrainAsync(stream, progress, "Service", service.Name, ct);
        id ??= await ImageIdAsync(image, ct) ?? throw new ComposeException($"service \"{service.Name}\": the build produced no image");
        progress.Report("Service", service.Name, "Built");
        return id;
    }
}
