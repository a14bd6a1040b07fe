using System.Text.Json;
using Berth.Engine.Distribution.Auth;
using Berth.Engine.Distribution.Blobs;
using Berth.Engine.Distribution.Endpoints;
using Berth.Engine.Distribution.Http;
using Berth.Engine.Distribution.Manifests;
using Berth.Engine.Distribution.Metadata;
using Berth.Engine.Distribution.Progress;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.Images;
using Berth.Oci.References;

namespace Berth.Engine.Distribution.Pull;

/// <summary>
/// One pull, as Docker does it: resolve the endpoints (mirrors first for Docker Hub, falling back on any mirror
/// failure), fetch the manifest (an index resolves to the daemon's platform), fetch the config, download missing
/// layers concurrently into the content store while unpacking them in order as they complete, then create and tag the
/// image — the image appears only when everything is in place.
/// </summary>
internal sealed class ImagePuller(RegistryContext context, SharedDownloads downloads, DistributionMetadata metadata)
{
    public async Task<PullResult> PullAsync(ImageReference reference, IPullTarget target, RegistryCredentials credentials, PlatformSpec? platform, ProgressReporter progress, CancellationToken cancellationToken)
    {
        try
        {
            var endpoints = await context.Endpoints.ForPullAsync(reference.Domain, cancellationToken);
            string tagOrDigest = reference.Digest?.ToString() ?? reference.Tag ?? ImageReference.DefaultTag;
            Exception? last = null;
            for (int i = 0; i < endpoints.Count; i++)
            {
                var endpoint = endpoints[i];
                var session = new RegistrySession(context, endpoint, reference.Path, [TokenScope.Pull(reference.Path)], credentials);
                ParsedManifest manifest;
                try
                {
                    manifest = await ManifestFetcher.FetchAsync(session, tagOrDigest, reference.FamiliarString, cancellationToken);
                }
                catch (Exception e) when (i + 1 < endpoints.Count && e is not OperationCanceledException
                                          && (endpoint.Mirror || e is RegistryException { IsTransport: true }))
                {
                    last = e;
                    continue;
                }
                try
                {
                    return await PullFromAsync(session, reference, tagOrDigest, manifest, target, platform ?? context.Options.Platform ?? PlatformSpec.Host, progress, cancellationToken);
                }
                catch (Exception e) when (endpoint.Mirror && i + 1 < endpoints.Count && e is RegistryException)
                {
                    last = e; // a mirror that fails half-way: Docker carries on with the next endpoint
                }
            }
            throw last ?? BerthException.Internal($"no endpoint for {reference.Domain}");
        }
        catch (Exception e)
        {
            throw RegistryErrors.ForPull(e, reference);
        }
    }

    private async Task<PullResult> PullFromAsync(RegistrySession session, ImageReference reference, string tagOrDigest, ParsedManifest top, IPullTarget target, PlatformSpec platform, ProgressReporter progress, CancellationToken cancellationToken)
    {
        progress.Status("Pulling from " + reference.Path, tagOrDigest);
        var manifest = top;
        if (top.IsIndex)
        {
            var chosen = PlatformMatcher.Select(top.Manifests, platform)
                         ?? throw BerthException.NotFound($"no matching manifest for {platform} in the manifest list entries");
            manifest = await ManifestFetcher.FetchAsync(session, chosen.Digest!, reference.FamiliarString, cancellationToken);
            if (manifest.IsIndex) throw BerthException.Invalid($"manifest for {reference.FamiliarString}: an index inside an index is not supported");
        }

        byte[] configBytes = await BlobBytes.FetchAsync(session, manifest.Config, cancellationToken);
        var config = ParseConfig(configBytes, reference);
        var layers = manifest.Layers;
        if (config.RootFs.DiffIds.Count != layers.Count)
            throw BerthException.Invalid($"image {reference.FamiliarString}: layers from manifest don't match image configuration");

        string imageId = manifest.Config.Digest!;
        string? before = target.ImageIdOf(reference);
        if (!target.HasImage(imageId))
        {
            var chain = Snapshots.ChainIds.FromDiffIds(config.RootFs.DiffIds);
            await FetchLayersAsync(session, layers, config.RootFs.DiffIds, chain, target, progress, cancellationToken);
            string created = await target.CreateImageAsync(configBytes, cancellationToken);
            if (created != imageId) throw BerthException.Internal($"image {reference.FamiliarString}: created {created}, expected {imageId}");
        }
        await RememberAsync(reference, manifest, config.RootFs.DiffIds, target, imageId, cancellationToken);
        if (reference.Tag is not null) target.Tag(imageId, reference.WithTag(reference.Tag));
        target.Tag(imageId, reference.WithoutTagOrDigest() with { Digest = top.Digest });

        bool updated = before != imageId;
        progress.Status("Digest: " + top.Digest);
        progress.Status((updated ? "Status: Downloaded newer image for " : "Status: Image is up to date for ") + reference.FamiliarString);
        return new PullResult(reference, imageId, top.Digest, updated);
    }

    /// <summary>
    /// Downloads run concurrently (bounded); unpacking runs in layer order, each layer as soon as it and its parent are
    /// ready. A failure cancels what is still running and is rethrown once everything has stopped.
    /// </summary>
    private async Task FetchLayersAsync(RegistrySession session, IReadOnlyList<Descriptor> layers, IReadOnlyList<string> diffIds, IReadOnlyList<string> chain, IPullTarget target, ProgressReporter progress, CancellationToken cancellationToken)
    {
        int present = 0;
        while (present < layers.Count && target.HasLayer(chain[present])) present++;
        for (int i = 0; i < present; i++) progress.Layer(ShortId(layers[i]), "Already exists");
        if (present == layers.Count) return;

        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(Math.Max(1, context.Options.MaxConcurrentDownloads));
        var downloadsByIndex = new Task<Oci.Content.BlobInfo>?[layers.Count];
        for (int i = present; i < layers.Count; i++) progress.Layer(ShortId(layers[i]), "Pulling fs layer");
        for (int i = present; i < layers.Count; i++)
        {
            var layer = layers[i];
            bool queued = i - present >= context.Options.MaxConcurrentDownloads;
            if (queued) progress.Layer(ShortId(layer), "Waiting");
            downloadsByIndex[i] = DownloadAsync(session, layer, target, slots, progress, failed.Token);
        }

        try
        {
            string? parent = present > 0 ? chain[present - 1] : null;
            for (int i = present; i < layers.Count; i++)
            {
                var layer = layers[i];
                string id = ShortId(layer);
                var blob = await downloadsByIndex[i]!;
                if (target.HasLayer(chain[i]))
                {
                    // Another pull unpacked it meanwhile.
                    progress.Layer(id, "Pull complete");
                    parent = chain[i];
                    continue;
                }
                string chainId = await target.UnpackLayerAsync(blob.Digest, blob.Size, parent, diffIds[i],
                    bytes => progress.Bytes(id, "Extracting", bytes, blob.Size), failed.Token);
                if (chainId != chain[i]) throw BerthException.Invalid($"layer {layer.Digest}: unpacked to chain {chainId}, expected {chain[i]}");
                progress.Layer(id, "Pull complete");
                parent = chainId;
            }
        }
        catch
        {
            await failed.CancelAsync();
            foreach (var task in downloadsByIndex)
                if (task is not null)
                    try { await task; } catch { /* the first failure is the one reported */ }
            throw;
        }
    }

    private async Task<Oci.Content.BlobInfo> DownloadAsync(RegistrySession session, Descriptor layer, IPullTarget target, SemaphoreSlim slots, ProgressReporter progress, CancellationToken cancellationToken)
    {
        string id = ShortId(layer);
        var digest = Digest.Parse(layer.Digest!);
        await slots.WaitAsync(cancellationToken);
        try
        {
            // Retried inside the shared download, so that every pull waiting for the blob sees the countdown. A
            // connection that breaks mid-blob is first resumed by the download itself (ResumingDownloadStream).
            var retry = TransferRetry.ForDownloads(context.Options);
            var blob = await downloads.GetAsync(target.Content, digest,
                (listener, ct) => retry.RunAsync(
                    attempt => BlobDownloader.DownloadAsync(session, layer, target.Content, listener.OnBytes, context.Options.DownloadResumeAttempts, attempt),
                    listener.OnStatus, null, ct),
                new DownloadListener(bytes => progress.Bytes(id, "Downloading", bytes, layer.Size), status => progress.Layer(id, status)),
                cancellationToken);
            progress.Layer(id, "Verifying Checksum");
            progress.Layer(id, "Download complete");
            return blob;
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>
    /// Records where each layer blob came from (for HEAD checks and mounts at push time) and keeps the platform
    /// manifest's bytes, which a later push of this image sends again unchanged so that its digest stays the same.
    /// </summary>
    private async Task RememberAsync(ImageReference reference, ParsedManifest manifest, IReadOnlyList<string> diffIds, IPullTarget target, string imageId, CancellationToken cancellationToken)
    {
        var layers = manifest.Layers;
        for (int i = 0; i < layers.Count; i++)
            metadata.AddBlob(diffIds[i], new BlobSource(layers[i].Digest!, layers[i].MediaType ?? MediaTypes.DockerLayerGzip, layers[i].Size, reference.Domain, reference.Path));
        await target.Content.WriteAsync(manifest.Bytes, cancellationToken);
        metadata.AddManifest(imageId, new ManifestSource(manifest.Digest.ToString(), manifest.MediaType, manifest.Bytes.Length, reference.Domain, reference.Path));
    }

    private static ImageConfig ParseConfig(byte[] bytes, ImageReference reference)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, OciImageJsonContext.Default.ImageConfig)
                   ?? throw BerthException.Invalid($"image config of {reference.FamiliarString} is null");
        }
        catch (JsonException e)
        {
            throw BerthException.Invalid($"image config of {reference.FamiliarString} is not valid JSON: {e.Message}");
        }
    }

    /// <summary>Docker names a layer in pull progress by its blob digest, shortened to 12 hex digits.</summary>
    private static string ShortId(Descriptor layer) => Digest.Parse(layer.Digest!).Short;
}
