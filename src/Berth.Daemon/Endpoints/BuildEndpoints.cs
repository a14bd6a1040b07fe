using System.Text;
using System.Text.Json;
using Berth.Api;
using Berth.Api.BuildContext;
using Berth.Build.Context;
using Berth.Build.Dockerfile;
using Berth.Build.Execution;
using Berth.Build.Remote;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Distribution.Local;
using Berth.Engine.Distribution.Auth;
using Berth.Engine.Images;
using Berth.Oci.Errors;
using Berth.Oci.References;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// POST /build, the classic builder that the docker CLI uses without BuildKit (and docker-py, docker-compose 1.x,
/// Testcontainers): the body is the context as a tar (plain, gzip or zstd), or <c>remote=</c> names a git repository or
/// URL to fetch it from; the query says what to build.
/// </summary>
public static class BuildEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        app.MapPost("/build", context => Build(context, services));
        // The classic builder keeps no cache apart from the images themselves (pruned with `image prune`).
        app.MapPost("/build/prune", context => Json.WriteAsync(context, new BuildCachePruneResponse(), ApiJson.Context.BuildCachePruneResponse));
    }

    private static async Task Build(HttpContext context, DaemonServices services)
    {
        if (Query.Bool(context, "squash")) throw BerthException.NotImplemented("squash is only supported with experimental mode");
        var options = Options(context);
        string dockerfileName = Query.String(context, "dockerfile") is { Length: > 0 } name ? name : "Dockerfile";
        string? remote = Query.String(context, "remote") is { Length: > 0 } url ? url : null;
        var registries = RegistryConfig(context);

        string contextDir = services.NewTempDir();
        string? scratch = remote is null ? null : services.NewTempDir();
        try
        {
            // Inside the stream, so that a remote context's download progress is streamed; a failure before any
            // message is still an ordinary HTTP error (a missing Dockerfile, a 404 from the remote server).
            await ProgressStream.RunAsync(context, async (progress, cancellationToken) =>
            {
                var (root, dockerfileText) = remote is null
                    ? await BodyContextAsync(context.Request.Body, contextDir, cancellationToken)
                    : await RemoteBuildContext.FetchAsync(remote, contextDir, scratch!, progress, cancellationToken);
                var files = new ContextFiles(root);
                var dockerfile = DockerfileParser.Parse(dockerfileText ?? ReadDockerfile(files, dockerfileName), dockerfileName);
                ApplyDockerIgnore(root);

                var backend = new BuildBackend(services.Containers, services.ImageService, services.Networks,
                    (reference, pullProgress, token) => PullAsync(services, reference, registries, pullProgress, token),
                    services.NewTempDir);
                try
                {
                    await Builder.BuildAsync(backend, options, files, dockerfile, progress, cancellationToken);
                }
                catch (BuildStepFailedException e)
                {
                    progress.Report(new JsonMessage { ErrorDetail = new JsonError { Code = e.ExitCode, Message = e.Message }, Error = e.Message });
                }
            });
        }
        finally
        {
            Directory.Delete(contextDir, recursive: true);
            if (scratch is not null) Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>The context the client sent as the request body.</summary>
    private static async Task<BuildContextLocation> BodyContextAsync(Stream body, string directory, CancellationToken cancellationToken)
    {
        await ContextTar.ExtractAsync(body, directory, cancellationToken);
        return new BuildContextLocation(directory, null);
    }

    private static BuildOptions Options(HttpContext context)
    {
        var tags = context.Request.Query["t"].Where(t => !string.IsNullOrEmpty(t))
            .Select(t => ImageService.ParseTagTarget(t!, null)).ToList();
        return new BuildOptions
        {
            Tags = tags,
            BuildArgs = JsonObject(context, "buildargs", "build args", ApiJson.Context.DictionaryStringString) ?? new Dictionary<string, string?>(),
            Labels = (JsonObject(context, "labels", "labels", ApiJson.Context.DictionaryStringString) ?? [])
                .ToDictionary(l => l.Key, l => l.Value ?? ""),
            NoCache = Query.Bool(context, "nocache"),
            Pull = Query.Bool(context, "pull"),
            Quiet = Query.Bool(context, "q"),
            RemoveIntermediate = Query.Bool(context, "rm", fallback: true),
            ForceRemoveIntermediate = Query.Bool(context, "forcerm"),
            Target = Query.String(context, "target") is { Length: > 0 } target ? target : null,
            Run = new RunContainerSettings
            {
                NetworkMode = Query.String(context, "networkmode"),
                Memory = Query.Long(context, "memory") ?? 0,
                MemorySwap = Query.Long(context, "memswap") ?? 0,
                CpuShares = Query.Long(context, "cpushares") ?? 0,
                CpusetCpus = Query.String(context, "cpusetcpus"),
                CpuPeriod = Query.Long(context, "cpuperiod") ?? 0,
                CpuQuota = Query.Long(context, "cpuquota") ?? 0,
                ShmSize = Query.Long(context, "shmsize") ?? 0,
                ExtraHosts = (Query.String(context, "extrahosts") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
            },
        };
    }

    private static Dictionary<string, string?>? JsonObject(HttpContext context, string name, string description,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<Dictionary<string, string?>> type)
    {
        string? text = Query.String(context, name);
        if (string.IsNullOrEmpty(text)) return null;
        try
        {
            return JsonSerializer.Deserialize(text, type);
        }
        catch (JsonException e)
        {
            throw BerthException.Invalid($"error reading {description}: {e.Message}");
        }
    }

    private static string ReadDockerfile(ContextFiles files, string name)
    {
        string? path = files.Locate(name);
        if ((path is null || !File.Exists(path)) && name == "Dockerfile") path = files.Locate("dockerfile");
        if (path is null || !File.Exists(path)) throw BerthException.Internal($"Cannot locate specified Dockerfile: {name}");
        return File.ReadAllText(path, Encoding.UTF8);
    }

    /// <summary>
    /// Files the context's .dockerignore excludes are removed before any COPY can name them (a client that sent them
    /// anyway, as docker-py may, gets Docker's behaviour). The Dockerfile was read before, as Docker reads it.
    /// </summary>
    private static void ApplyDockerIgnore(string directory)
    {
        string path = Path.Combine(directory, ".dockerignore");
        if (!File.Exists(path)) return;
        DockerIgnore ignore;
        try
        {
            ignore = DockerIgnore.Parse(File.ReadAllText(path));
        }
        catch (FormatException e)
        {
            throw BerthException.Invalid($"failed to read .dockerignore: {e.Message}");
        }
        RemoveExcluded(ignore, directory, "");
    }

    private static void RemoveExcluded(DockerIgnore ignore, string root, string relative)
    {
        foreach (var entry in new DirectoryInfo(relative.Length == 0 ? root : Path.Combine(root, relative)).EnumerateFileSystemInfos())
        {
            string path = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
            bool isDirectory = entry is DirectoryInfo && entry.LinkTarget is null;
            if (ignore.IsExcluded(path))
            {
                // An exception below an excluded directory ("!dir/keep") keeps the directory, and what is kept in it.
                if (isDirectory && ignore.HasExceptions) RemoveExcluded(ignore, root, path);
                else if (isDirectory) Directory.Delete(entry.FullName, recursive: true);
                else entry.Delete();
            }
            else if (isDirectory)
            {
                RemoveExcluded(ignore, root, path);
            }
        }
    }

    /// <summary>X-Registry-Config: the client's credentials for each registry, for the pulls of FROM images.</summary>
    private static Dictionary<string, AuthConfig>? RegistryConfig(HttpContext context)
    {
        string? header = context.Request.Headers["X-Registry-Config"].FirstOrDefault();
        if (string.IsNullOrEmpty(header)) return null;
        try
        {
            string base64 = header.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
            return JsonSerializer.Deserialize(Convert.FromBase64String(base64), ApiJson.Context.DictionaryStringAuthConfig);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null; // as Docker: unreadable credentials are no credentials
        }
    }

    private static async Task PullAsync(DaemonServices services, string image, Dictionary<string, AuthConfig>? registries,
        IProgress<JsonMessage> progress, CancellationToken cancellationToken)
    {
        var reference = ImageReference.ParseNamed(image, addLatest: true);
        var credentials = RegistryCredentials.Anonymous;
        foreach (var (key, auth) in registries ?? [])
        {
            string host = key.Replace("https://", "").Replace("http://", "").Split('/')[0];
            if (host is "index.docker.io" or "registry-1.docker.io") host = ImageReference.DefaultDomain;
            if (host == reference.Domain) credentials = RegistryCredentials.From(auth);
        }
        var target = new LocalPullTarget(services.Content, services.Layers, services.Images);
        await services.Registry.PullAsync(reference, target, credentials, progress, cancellationToken, null);
        string name = reference.FamiliarString;
        services.Events.Publish("image", "pull", name, new Dictionary<string, string> { ["name"] = name });
    }
}
