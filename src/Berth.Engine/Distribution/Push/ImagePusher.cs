using System.Net;
using System.Text.Json;
using Berth.Api;
using Berth.Engine.Distribution.Auth;
using Berth.Engine.Distribution.Blobs;
using Berth.Engine.Distribution.Http;
using Berth.Engine.Distribution.Manifests;
using Berth.Engine.Distribution.Metadata;
using Berth.Engine.Distribution.Progress;
using Berth.Oci.Content;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.Images;
using Berth.Oci.References;

namespace Berth.Engine.Distribution.Push;

/// <summary>
/// One push, as Docker does it: layers first (concurrently, bounded; each one skipped when the repository has it,
/// mounted when another repository of the registry is known to have it, else uploaded, retried as dockerd retries
/// (<see cref="TransferRetry"/>)), then the config (once, as dockerd puts it), then the manifest under the tag. A
/// pulled image is pushed with the very manifest it was pulled with, so its digest stays the same.
/// </summary>
internal sealed class ImagePusher(RegistryContext context, DistributionMetadata metadata)
{
    public async Task<PushResult> PushAsync(ImageReference reference, PushImage image, IContentStore content, RegistryCredentials credentials, ProgressReporter progress, CancellationToken cancellationToken)
    {
        try
        {
            if (reference.Tag is null) throw BerthException.Invalid($"push of {reference.FamiliarString}: a tag is required");
            progress.Status($"The push refers to repository [{reference.Repository}]");
            var session = await ConnectAsync(reference, credentials, cancellationToken);
            var reused = await ReusableManifestAsync(image, content, cancellationToken);
            bool oci = reused?.MediaType == MediaTypes.OciManifest || (reused is null && context.Options.PushManifestFormat == PushManifestFormat.Oci);

            var resolver = new LayerBlobResolver(content, metadata);
            var blobs = new PushBlob[image.Layers.Count];
            for (int i = 0; i < image.Layers.Count; i++)
                blobs[i] = reused is not null ? reused.Value.Layers[i] : await resolver.ResolveAsync(image.Layers[i], oci, cancellationToken);
            if (reused is null && !oci && blobs.Any(b => b.MediaType == MediaTypes.OciLayerZstd))
            {
                // Docker schema 2 has no zstd layer type: such an image goes out as OCI.
                oci = true;
                for (int i = 0; i < blobs.Length; i++)
                    if (blobs[i].MediaType == MediaTypes.DockerLayerGzip) blobs[i] = blobs[i] with { MediaType = MediaTypes.OciLayerGzip };
            }

            await PushLayersAsync(session, reference, blobs, content, progress, cancellationToken);

            var configDigest = Digest.Parse(image.ImageId);
            if (!await BlobUploader.ExistsAsync(session, configDigest, cancellationToken))
            {
                await content.WriteAsync(image.Config, cancellationToken);
                await BlobUploader.UploadAsync(session, content, configDigest, image.Config.Length, context.Options.UploadMode, context.Options.ChunkSize, null, _ => { }, cancellationToken);
            }

            var (bytes, mediaType) = reused is { } r ? (r.Bytes, r.MediaType) : ManifestBuilder.Build(configDigest, image.Config.Length, blobs, oci);
            var digest = Digest.Of(bytes);
            await PutManifestAsync(session, reference.Tag, bytes, mediaType, digest, cancellationToken);

            await content.WriteAsync(bytes, cancellationToken);
            metadata.AddManifest(image.ImageId, new ManifestSource(digest.ToString(), mediaType, bytes.Length, reference.Domain, reference.Path));
            progress.Status($"{reference.Tag}: digest: {digest} size: {bytes.Length}");
            progress.Aux(JsonSerializer.SerializeToElement(new PushResultAux { Tag = reference.Tag, Digest = digest.ToString(), Size = bytes.Length }, ApiJsonContext.Default.PushResultAux));
            return new PushResult(reference.Tag, digest.ToString(), bytes.Length);
        }
        catch (Exception e)
        {
            throw RegistryErrors.ForPush(e);
        }
    }

    /// <summary>The first endpoint that answers its ping (https, then http for an insecure registry).</summary>
    internal async Task<RegistrySession> ConnectAsync(ImageReference reference, RegistryCredentials credentials, CancellationToken cancellationToken)
    {
        var endpoints = await context.Endpoints.ForRegistryAsync(reference.Domain, cancellationToken);
        RegistryException? last = null;
        foreach (var endpoint in endpoints)
        {
            var session = new RegistrySession(context, endpoint, reference.Path, [TokenScope.PullPush(reference.Path)], credentials);
            try
            {
                await session.PingAsync(cancellationToken);
                return session;
            }
            catch (RegistryException e) when (e.IsTransport)
            {
                last = e;
            }
        }
        throw last!;
    }

    private async Task PushLayersAsync(RegistrySession session, ImageReference reference, PushBlob[] blobs, IContentStore content, ProgressReporter progress, CancellationToken cancellationToken)
    {
        // Docker lists a push's layers from the top one down.
        var order = Enumerable.Range(0, blobs.Length).Reverse().ToList();
        foreach (int i in order) progress.Layer(IdOf(blobs[i]), "Preparing");
        int limit = Math.Max(1, context.Options.MaxConcurrentUploads);
        foreach (int i in order.Skip(limit)) progress.Layer(IdOf(blobs[i]), "Waiting");

        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(limit);
        var pushed = new HashSet<Digest>();
        var tasks = new List<Task>();
        foreach (int i in order)
        {
            var blob = blobs[i];
            lock (pushed)
                if (!pushed.Add(blob.Digest)) continue; // the same blob twice in one image goes up once
            tasks.Add(PushLayerAsync(session, reference, blob, content, slots, progress, failed));
        }
        try
        {
            await Task.WhenAll(tasks);
        }
        catch
        {
            await failed.CancelAsync();
            throw tasks.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException)
                  ?? tasks.First(t => t.IsFaulted || t.IsCanceled).Exception?.InnerException
                  ?? new OperationCanceledException(cancellationToken);
        }
    }

    private async Task PushLayerAsync(RegistrySession session, ImageReference reference, PushBlob blob, IContentStore content, SemaphoreSlim slots, ProgressReporter progress, CancellationTokenSource failed)
    {
        var cancellationToken = failed.Token;
        string id = IdOf(blob);
        await slots.WaitAsync(cancellationToken);
        try
        {
            if (await BlobUploader.ExistsAsync(session, blob.Digest, cancellationToken))
            {
                progress.Layer(id, "Layer already exists");
                Remember(blob, reference);
                return;
            }
            Uri? location = null;
            foreach (var source in MountSources(blob, reference))
            {
                var mountSession = session.WithScopes([TokenScope.PullPush(reference.Path), TokenScope.Pull(source)]);
                var (mounted, opened) = await BlobUploader.TryMountAsync(mountSession, blob.Digest, source, cancellationToken);
                if (mounted)
                {
                    progress.Layer(id, "Mounted from " + source);
                    Remember(blob, reference);
                    return;
                }
                location = opened;
                break;
            }
            await TransferRetry.ForUploads(context.Options).RunAsync(
                attempt => BlobUploader.UploadAsync(session, content, blob.Digest, blob.Size, context.Options.UploadMode, context.Options.ChunkSize, location,
                    bytes => progress.Bytes(id, "Pushing", bytes, blob.Size), attempt),
                status => progress.Layer(id, status),
                onRetry: (_, _) => location = null, // a retry opens a fresh upload session
                cancellationToken);
            progress.Layer(id, "Pushed");
            Remember(blob, reference);
        }
        catch
        {
            await failed.CancelAsync();
            throw;
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Other repositories of the same registry known to hold the blob (Docker tries one).</summary>
    private IEnumerable<string> MountSources(PushBlob blob, ImageReference reference)
    {
        if (blob.DiffId is null) yield break;
        foreach (var source in metadata.BlobsOf(blob.DiffId))
            if (source.Digest == blob.Digest.ToString() && source.Registry == reference.Domain && source.Repository != reference.Path && source.Repository.Length > 0)
            {
                yield return source.Repository;
                yield break;
            }
    }

    private void Remember(PushBlob blob, ImageReference reference)
    {
        if (blob.DiffId is not null)
            metadata.AddBlob(blob.DiffId, new BlobSource(blob.Digest.ToString(), blob.MediaType, blob.Size, reference.Domain, reference.Path));
    }

    internal static async Task PutManifestAsync(RegistrySession session, string tag, byte[] bytes, string mediaType, Digest digest, CancellationToken cancellationToken)
    {
        var uri = session.RepositoryUri("manifests/" + tag);
        using var response = await session.SendAsync(u =>
        {
            var body = new ByteArrayContent(bytes);
            body.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
            return new HttpRequestMessage(HttpMethod.Put, u) { Content = body };
        }, uri, cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK or HttpStatusCode.Accepted))
            throw await RegistryException.FromResponseAsync(response, cancellationToken);
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { } answered && answered != digest.ToString())
            throw new RegistryException($"manifest for {tag}: the registry stored it as {answered}, expected {digest}");
    }

    /// <summary>
    /// A manifest this image was pulled (or pushed) with whose config is the image and whose layer blobs are all still
    /// in the content store: pushing those bytes again keeps the digest the image is known by.
    /// </summary>
    private async Task<(byte[] Bytes, string MediaType, PushBlob[] Layers)?> ReusableManifestAsync(PushImage image, IContentStore content, CancellationToken cancellationToken)
    {
        foreach (var source in metadata.ManifestsOf(image.ImageId))
        {
            if (!Digest.TryParse(source.Digest, out var digest) || !content.Exists(digest)) continue;
            byte[] bytes;
            await using (var stream = content.OpenRead(digest))
            {
                var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken);
                bytes = buffer.ToArray();
            }
            ParsedManifest manifest;
            try
            {
                manifest = ManifestParser.Parse(bytes, source.MediaType, digest, source.Repository);
            }
            catch (BerthException)
            {
                continue;
            }
            if (manifest.IsIndex || manifest.Config.Digest != image.ImageId || manifest.Layers.Count != image.Layers.Count) continue;
            var layers = new PushBlob[manifest.Layers.Count];
            bool complete = true;
            for (int i = 0; i < layers.Length && complete; i++)
            {
                var layer = manifest.Layers[i];
                var layerDigest = Digest.Parse(layer.Digest!);
                complete = content.SizeOf(layerDigest) == layer.Size;
                layers[i] = new PushBlob(layerDigest, layer.Size, layer.MediaType ?? MediaTypes.DockerLayerGzip, image.Layers[i].DiffId);
            }
            if (complete) return (bytes, manifest.MediaType, layers);
        }
        return null;
    }

    /// <summary>Docker names a layer in push progress by its diff ID, shortened to 12 hex digits.</summary>
    private static string IdOf(PushBlob blob) => Digest.TryParse(blob.DiffId, out var diffId) ? diffId.Short : blob.Digest.Short;
}
