using System.Text.Json;
using Berth.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Distribution;
using Berth.Engine.Distribution.Auth;
using Berth.Engine.Distribution.Local;
using Berth.Engine.Distribution.Manifests;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.References;

namespace Berth.Daemon.Endpoints;

/// <summary>The daemon's registry side: pull (POST /images/create?fromImage), push, distribution inspect and login.</summary>
public static class DistributionEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        app.MapPost("/auth", context => Login(context, services));
        app.MapGet("/distribution/{**path}", context => Inspect(context, services));
    }

    /// <summary>POST /images/create?fromImage=&amp;tag=&amp;platform=: a tag or digest, or every tag when neither is given.</summary>
    public static Task Pull(HttpContext context, DaemonServices services, string fromImage)
    {
        var reference = PullReference(fromImage, Query.String(context, "tag"));
        string? platformText = Query.String(context, "platform");
        PlatformSpec? platform = string.IsNullOrEmpty(platformText) ? null : PlatformSpec.Parse(platformText);
        var credentials = Credentials(context);
        var target = new LocalPullTarget(services.Content, services.Layers, services.Images);
        return ProgressStream.RunAsync(context, async (progress, cancellationToken) =>
        {
            IReadOnlyList<ImageReference> references = reference.Tag is null && reference.Digest is null
                ? (await services.Registry.ListTagsAsync(reference, credentials, cancellationToken)).Select(reference.WithTag).ToList()
                : [reference];
            foreach (var one in references)
            {
                await services.Registry.PullAsync(one, target, credentials, progress, cancellationToken, platform);
                string name = one.FamiliarString;
                services.Events.Publish("image", "pull", name, new Dictionary<string, string> { ["name"] = name });
            }
        });
    }

    /// <summary>POST /images/{name}/push?tag=: one tag, or every local tag of the repository when none is given.</summary>
    public static Task Push(HttpContext context, DaemonServices services, string name)
    {
        var repository = ImageReference.ParseNamed(name, addLatest: false);
        string? tag = Query.String(context, "tag");
        if (!string.IsNullOrEmpty(tag)) repository = ImageReference.ParseNamed($"{repository.WithoutTagOrDigest()}:{tag}", addLatest: false);
        var references = repository.Tag is not null
            ? [repository]
            : services.Images.List().SelectMany(image => image.RepoTags).Select(t => ImageReference.ParseNamed(t, addLatest: false))
                .Where(r => r.Tag is not null && r.Domain == repository.Domain && r.Path == repository.Path)
                .Distinct().OrderBy(r => r.Tag, StringComparer.Ordinal).ToList();
        if (references.Count == 0 || (repository.Tag is not null && services.Images.TryResolve(repository.ToString()) is null))
            throw BerthException.NotFound($"An image does not exist locally with the tag: {repository.FamiliarRepository}");
        var credentials = Credentials(context);
        return ProgressStream.RunAsync(context, async (progress, cancellationToken) =>
        {
            foreach (var reference in references)
            {
                var image = services.Images.Resolve(reference.ToString());
                var source = LocalPushSource.From(services.Images, services.Layers, image);
                var result = await services.Registry.PushAsync(reference, source, services.Content, credentials, progress, cancellationToken);
                // As in Docker, a pushed image knows its digest in that repository from now on (RepoDigests).
                services.Images.Tag(image.Id, reference.WithoutTagOrDigest() with { Digest = Digest.Parse(result.Digest) });
                string pushed = reference.FamiliarString;
                services.Events.Publish("image", "push", pushed, new Dictionary<string, string> { ["name"] = pushed });
            }
        });
    }

    /// <summary>POST /auth: checks the credentials against the registry (Docker Hub when no address is given).</summary>
    private static async Task Login(HttpContext context, DaemonServices services)
    {
        var config = await Json.ReadAsync(context, ApiJson.Context.AuthConfig, anyContentType: true) ?? new AuthConfig();
        var result = await services.Registry.LoginAsync(config.ServerAddress ?? "", RegistryCredentials.From(config), context.RequestAborted);
        await Json.WriteAsync(context, new AuthResponse { Status = result.Status, IdentityToken = result.IdentityToken }, ApiJson.Context.AuthResponse);
    }

    /// <summary>GET /distribution/{name}/json: the descriptor a reference resolves to at its registry, and its platforms.</summary>
    private static async Task Inspect(HttpContext context, DaemonServices services)
    {
        string path = (string)context.Request.RouteValues["path"]!;
        if (!path.EndsWith("/json", StringComparison.Ordinal)) throw BerthException.NotFound("page not found");
        var reference = ImageReference.ParseNamed(path[..^"/json".Length], addLatest: true);
        var inspect = await services.Registry.InspectAsync(reference, Credentials(context), context.RequestAborted);
        context.Response.ContentType = "application/json";
        await using (var writer = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("Descriptor");
            writer.WriteString("mediaType", inspect.Descriptor.MediaType);
            writer.WriteString("digest", inspect.Descriptor.Digest);
            writer.WriteNumber("size", inspect.Descriptor.Size);
            writer.WriteEndObject();
            writer.WriteStartArray("Platforms");
            foreach (var platform in inspect.Platforms)
            {
                writer.WriteStartObject();
                writer.WriteString("architecture", platform.Architecture);
                writer.WriteString("os", platform.Os);
                if (!string.IsNullOrEmpty(platform.OsVersion)) writer.WriteString("os.version", platform.OsVersion);
                if (platform.OsFeatures is { Count: > 0 } features)
                {
                    writer.WriteStartArray("os.features");
                    foreach (string feature in features) writer.WriteStringValue(feature);
                    writer.WriteEndArray();
                }
                if (!string.IsNullOrEmpty(platform.Variant)) writer.WriteString("variant", platform.Variant);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        await context.Response.Body.WriteAsync("\n"u8.ToArray(), context.RequestAborted);
    }

    /// <summary>Docker's reading of fromImage and tag: tag may be a digest; without either, all tags are meant.</summary>
    private static ImageReference PullReference(string fromImage, string? tag)
    {
        var reference = ImageReference.ParseNamed(fromImage, addLatest: false);
        if (string.IsNullOrEmpty(tag)) return reference;
        if (Digest.TryParse(tag, out var digest)) return reference with { Tag = null, Digest = digest };
        return ImageReference.ParseNamed($"{reference.WithoutTagOrDigest()}:{tag}", addLatest: false);
    }

    private static RegistryCredentials Credentials(HttpContext context) =>
        RegistryCredentials.FromRegistryAuthHeader(context.Request.Headers["X-Registry-Auth"].FirstOrDefault());
}
