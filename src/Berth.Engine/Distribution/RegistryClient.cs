using Berth.Api;
using Berth.Engine.Distribution.Auth;
using Berth.Engine.Distribution.Blobs;
using Berth.Engine.Distribution.Http;
using Berth.Engine.Distribution.Manifests;
using Berth.Engine.Distribution.Metadata;
using Berth.Engine.Distribution.Progress;
using Berth.Engine.Distribution.Pull;
using Berth.Engine.Distribution.Push;
using Berth.Engine.Distribution.Search;
using Berth.Oci.Content;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.References;

namespace Berth.Engine.Distribution;

/// <summary>What <c>GET /distribution/{name}/json</c> reports: the descriptor a reference resolves to and its platforms.</summary>
public sealed record DistributionInspect(Descriptor Descriptor, IReadOnlyList<PlatformSpec> Platforms);

/// <summary>
/// The daemon's registry client (OCI distribution spec / Docker registry v2): pull, push, login and manifest inspection,
/// sharing connection pools, tokens and the table of downloads in flight across all requests. One per daemon.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private readonly RegistryContext _context;
    private readonly ImagePuller _puller;
    private readonly ImagePusher _pusher;
    private readonly RegistryLogin _login;
    private readonly RegistrySearcher _searcher;

    /// <param name="metadataRoot">Where distribution metadata lives (e.g. <c>&lt;data-root&gt;/distribution</c>).</param>
    public RegistryClient(RegistryOptions options, string metadataRoot)
    {
        _context = new RegistryContext(options);
        Metadata = new DistributionMetadata(metadataRoot);
        Downloads = new SharedDownloads();
        _puller = new ImagePuller(_context, Downloads, Metadata);
        _pusher = new ImagePusher(_context, Metadata);
        _login = new RegistryLogin(_context);
        _searcher = new RegistrySearcher(_context);
    }

    public RegistryOptions Options => _context.Options;

    /// <summary>New mirrors, insecure registries and concurrency for the requests that start from now on.</summary>
    public void Reconfigure(RegistryOptions options) => _context.Reconfigure(options);
    public DistributionMetadata Metadata { get; }
    public SharedDownloads Downloads { get; }

    /// <summary>
    /// Pulls <paramref name="reference"/> (tag or digest) into <paramref name="target"/>, reporting Docker's progress
    /// messages. Errors are <see cref="BerthException"/>s with Docker's texts; on failure no image is created.
    /// </summary>
    public Task<PullResult> PullAsync(ImageReference reference, IPullTarget target, RegistryCredentials credentials, IProgress<JsonMessage>? progress, CancellationToken cancellationToken, PlatformSpec? platform = null) =>
        _puller.PullAsync(reference, target, credentials, platform, new ProgressReporter(progress), cancellationToken);

    /// <summary>Pushes <paramref name="image"/> under <paramref name="reference"/>'s tag (<c>--all-tags</c> is the caller's loop).</summary>
    public Task<PushResult> PushAsync(ImageReference reference, PushImage image, IContentStore content, RegistryCredentials credentials, IProgress<JsonMessage>? progress, CancellationToken cancellationToken) =>
        _pusher.PushAsync(reference, image, content, credentials, new ProgressReporter(progress), cancellationToken);

    /// <summary>POST /auth: checks credentials against a registry (empty or any Docker Hub address means Docker Hub).</summary>
    public Task<LoginResult> LoginAsync(string serverAddress, string username, string password, CancellationToken cancellationToken) =>
        _login.LoginAsync(serverAddress, new RegistryCredentials(username, password), cancellationToken);

    /// <summary>POST /auth with a full AuthConfig (an identity token instead of a password, for instance).</summary>
    public Task<LoginResult> LoginAsync(string serverAddress, RegistryCredentials credentials, CancellationToken cancellationToken) =>
        _login.LoginAsync(serverAddress, credentials, cancellationToken);

    /// <summary>
    /// GET /images/search: asks the registry named by <paramref name="term"/> (Docker Hub's index otherwise) through its
    /// v1 search API for at most <paramref name="limit"/> repositories.
    /// </summary>
    public Task<IReadOnlyList<RegistrySearchResult>> SearchAsync(string term, int limit, RegistryCredentials credentials, CancellationToken cancellationToken) =>
        _searcher.SearchAsync(term, limit, credentials, cancellationToken);

    /// <summary>The tags of a repository (<c>docker pull --all-tags</c> pulls each of them).</summary>
    public Task<IReadOnlyList<string>> ListTagsAsync(ImageReference repository, RegistryCredentials credentials, CancellationToken cancellationToken) =>
        OnPullEndpointsAsync(repository, credentials, session => TagLister.ListAsync(session, cancellationToken), cancellationToken);

    /// <summary>Resolves a reference to its top-level descriptor and the platforms it offers (distribution inspect).</summary>
    public Task<DistributionInspect> InspectAsync(ImageReference reference, RegistryCredentials credentials, CancellationToken cancellationToken) =>
        OnPullEndpointsAsync(reference, credentials, async session =>
        {
            string tagOrDigest = reference.Digest?.ToString() ?? reference.Tag ?? ImageReference.DefaultTag;
            var manifest = await ManifestFetcher.FetchAsync(session, tagOrDigest, reference.FamiliarString, cancellationToken);
            var descriptor = new Descriptor { MediaType = manifest.MediaType, Digest = manifest.Digest.ToString(), Size = manifest.Bytes.Length };
            IReadOnlyList<PlatformSpec> platforms = manifest.IsIndex
                ? manifest.Manifests.Where(m => m.Platform is not null).Select(m => m.Platform!).ToList()
                : [await ConfigPlatformAsync(session, manifest, cancellationToken)];
            return new DistributionInspect(descriptor, platforms);
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="read"/> against the pull endpoints of the reference's registry in turn (mirrors first): an
    /// endpoint that cannot be reached, or a mirror that fails in any way, hands over to the next one. Errors come out
    /// in Docker's pull words.
    /// </summary>
    private async Task<T> OnPullEndpointsAsync<T>(ImageReference reference, RegistryCredentials credentials, Func<RegistrySession, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAsync(reference, credentials, read, cancellationToken);
        }
        catch (Exception e)
        {
            throw RegistryErrors.ForPull(e, reference);
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> with a pull session on the reference's registry (mirrors first, as a pull), for
    /// content other than images (managed plugins). Errors are left as the registry gave them, for the caller's words.
    /// </summary>
    public async Task<T> ReadAsync<T>(ImageReference reference, RegistryCredentials credentials, Func<RegistrySession, Task<T>> read, CancellationToken cancellationToken)
    {
        var endpoints = await _context.Endpoints.ForPullAsync(reference.Domain, cancellationToken);
        if (endpoints.Count == 0) throw BerthException.Internal($"no endpoint for {reference.Domain}");
        for (int i = 0; ; i++)
        {
            var endpoint = endpoints[i];
            try
            {
                return await read(new RegistrySession(_context, endpoint, reference.Path, [TokenScope.Pull(reference.Path)], credentials));
            }
            catch (Exception e) when (i + 1 < endpoints.Count
                                      && (e is RegistryException { IsTransport: true } || (endpoint.Mirror && e is RegistryException or BerthException)))
            {
                // the next endpoint
            }
        }
    }

    /// <summary>
    /// A push session on the reference's registry (the first endpoint that answers), for content other than images
    /// (managed plugins); send manifests with <see cref="PutManifestAsync"/>.
    /// </summary>
    public Task<RegistrySession> OpenPushSessionAsync(ImageReference reference, RegistryCredentials credentials, CancellationToken cancellationToken) =>
        _pusher.ConnectAsync(reference, credentials, cancellationToken);

    public Task PutManifestAsync(RegistrySession session, string tag, byte[] bytes, string mediaType, CancellationToken cancellationToken) =>
        ImagePusher.PutManifestAsync(session, tag, bytes, mediaType, Digest.Of(bytes), cancellationToken);

    private static async Task<PlatformSpec> ConfigPlatformAsync(RegistrySession session, ParsedManifest manifest, CancellationToken cancellationToken)
    {
        byte[] bytes = await BlobBytes.FetchAsync(session, manifest.Config, cancellationToken);
        var config = System.Text.Json.JsonSerializer.Deserialize(bytes, Oci.Images.OciImageJsonContext.Default.ImageConfig);
        return new PlatformSpec { Os = config?.Os ?? "", Architecture = config?.Architecture ?? "", Variant = config?.Variant };
    }

    public void Dispose() => _context.Dispose();
}
