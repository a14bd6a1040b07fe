using System.Text.Json;
using Berth.Api;
using Berth.Engine.Distribution;
using Berth.Engine.Distribution.Auth;
using Berth.Engine.Distribution.Blobs;
using Berth.Engine.Distribution.Http;
using Berth.Engine.Distribution.Manifests;
using Berth.Engine.Distribution.Progress;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.Layers;
using Berth.Oci.References;

namespace Berth.Engine.Plugins.Managed;

/// <summary>A plugin fetched from a registry: its rootfs unpacked in scratch space, its blobs in the plugins' store.</summary>
internal sealed record FetchedPlugin(ImageReference Reference, string Rootfs, PluginConfig Config, PluginBlobs Blobs);

/// <summary>
/// Fetches plugins from registries through the daemon's registry client (endpoints, mirrors, auth, insecure
/// registries), as dockerd 20.10 does: the manifest must name a plugin config
/// (<see cref="PluginManifest.ConfigMediaType"/>); its layers are downloaded into the plugins' content store (kept
/// there, so a push sends the same bytes) and unpacked into one rootfs, with dockerd's progress messages and errors.
/// </summary>
internal sealed class PluginFetcher(RegistryClient registry, PluginStore store)
{
    /// <summary>The config a remote plugin declares (for its privileges); nothing is stored.</summary>
    public Task<PluginConfig> ConfigAsync(ImageReference reference, RegistryCredentials credentials, CancellationToken cancellationToken) =>
        ReadAsync(reference, credentials, async session =>
        {
            var manifest = await ResolveAsync(session, reference, cancellationToken);
            if (manifest.Config.MediaType != PluginManifest.ConfigMediaType)
                throw BerthException.Internal($"did not find plugin config for specified reference {reference}");
            return ParseConfig(await BlobBytes.FetchAsync(session, manifest.Config, cancellationToken));
        }, cancellationToken);

    /// <summary>
    /// Downloads and unpacks the plugin into <paramref name="scratch"/>. Its blobs are pinned by
    /// <paramref name="pins"/> until the caller has recorded them. <paramref name="granted"/> must be exactly the
    /// plugin's privileges. Nothing is reported before the manifest is resolved, so a missing one is a plain HTTP error.
    /// </summary>
    public Task<FetchedPlugin> FetchAsync(ImageReference reference, RegistryCredentials credentials, IReadOnlyList<PluginPrivilege> granted, string scratch,
        List<IDisposable> pins, ProgressReporter progress, CancellationToken cancellationToken) =>
        ReadAsync(reference, credentials, async session =>
        {
            var manifest = await ResolveAsync(session, reference, cancellationToken);
            progress.Status("Pulling from " + reference.FamiliarRepository, reference.Tag ?? reference.Digest?.ToString());
            progress.Status("Digest: " + manifest.Digest);
            if (manifest.Config.MediaType != PluginManifest.ConfigMediaType)
                throw BerthException.Internal("fetched plugin image but plugin config is missing");
            if (manifest.Layers.Count == 0) throw BerthException.Internal("fetched plugin image but plugin layers are missing");

            byte[] configBytes = await BlobBytes.FetchAsync(session, manifest.Config, cancellationToken);
            var config = ParseConfig(configBytes);
            pins.Add(store.Pin(manifest.Config.Digest!));
            await store.Content.WriteAsync(configBytes, cancellationToken);

            string rootfs = Path.Combine(scratch, "rootfs");
            foreach (var layer in manifest.Layers)
                await FetchLayerAsync(session, layer, rootfs, pins, progress, cancellationToken);

            if (!PluginPrivileges.Granted(PluginPrivileges.Of(config), granted)) throw BerthException.Internal("incorrect privileges");
            var blobs = new PluginBlobs { Config = manifest.Config.Digest!, Layers = [.. manifest.Layers.Select(l => l.Digest!)] };
            return new FetchedPlugin(reference, rootfs, config, blobs);
        }, cancellationToken);

    private async Task FetchLayerAsync(RegistrySession session, Descriptor layer, string rootfs, List<IDisposable> pins, ProgressReporter progress, CancellationToken cancellationToken)
    {
        var digest = Digest.Parse(layer.Digest!);
        string id = digest.Short;
        pins.Add(store.Pin(digest.ToString()));
        if (store.Content.SizeOf(digest) == layer.Size)
        {
            progress.Layer(id, "Already exists");
        }
        else
        {
            progress.Layer(id, "Waiting");
            await BlobDownloader.DownloadAsync(session, layer, store.Content, bytes => progress.Bytes(id, "Downloading", bytes, layer.Size),
                registry.Options.DownloadResumeAttempts, cancellationToken);
            progress.Layer(id, "Download complete");
        }
        await using (var blob = store.Content.OpenRead(digest))
        await using (var counted = new CountingStream(blob, bytes => progress.Bytes(id, "Extracting", bytes, layer.Size), leaveOpen: true))
            await LayerApplier.ApplyAsync(counted, rootfs, cancellationToken);
        progress.Layer(id, "Complete");
    }

    /// <summary>The manifest the reference names; failures are dockerd's "error resolving plugin reference".</summary>
    private static async Task<ParsedManifest> ResolveAsync(RegistrySession session, ImageReference reference, CancellationToken cancellationToken)
    {
        string tagOrDigest = reference.Digest?.ToString() ?? reference.Tag ?? ImageReference.DefaultTag;
        try
        {
            var manifest = await ManifestFetcher.FetchAsync(session, tagOrDigest, reference.FamiliarString, cancellationToken);
            if (manifest.IsIndex) throw BerthException.Internal($"did not find plugin config for specified reference {reference}");
            return manifest;
        }
        catch (RegistryException e) when (!e.IsTransport && (e.Status == System.Net.HttpStatusCode.NotFound
                                                             || e.HasCode("MANIFEST_UNKNOWN") || e.HasCode("NAME_UNKNOWN")))
        {
            throw BerthException.NotFound($"error resolving plugin reference: {reference}: not found");
        }
        catch (RegistryException e) when (!e.IsTransport)
        {
            var kind = RegistryErrors.ForPush(e) is BerthException general ? general.Kind : ErrorKind.Internal;
            throw new BerthException(kind, $"error resolving plugin reference: {e.Message}", e);
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> on the registry's pull endpoints; errors end in dockerd's words ("error resolving
    /// plugin reference: …" for the manifest, the registry's own otherwise).
    /// </summary>
    private async Task<T> ReadAsync<T>(ImageReference reference, RegistryCredentials credentials, Func<RegistrySession, Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await registry.ReadAsync(reference, credentials, read, cancellationToken);
        }
        catch (RegistryException e) when (e.IsTransport)
        {
            throw BerthException.Internal($"error resolving plugin reference: {e.Message}", e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw RegistryErrors.ForPush(e);
        }
    }

    private static PluginConfig ParseConfig(byte[] bytes)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes, ApiJsonContext.Default.PluginConfig) ?? throw BerthException.Internal("plugin config is null");
        }
        catch (JsonException e)
        {
            throw BerthException.Internal($"failed to parse plugin config: {e.Message}");
        }
    }
}
