using System.Text.Json;
using Berth.Api;
using Berth.Engine.Distribution;
using Berth.Engine.Distribution.Auth;
using Berth.Engine.Distribution.Blobs;
using Berth.Engine.Distribution.Progress;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.Images;
using Berth.Oci.References;

namespace Berth.Engine.Plugins.Managed;

/// <summary>
/// POST /plugins/{name}/push, as dockerd 20.10: the plugin goes to the repository its name names, as its layer blobs,
/// its config blob and a manifest built from them (<see cref="PluginManifest"/>); the blobs are the ones it was created
/// or installed with, so pushing it again, or pushing an installed plugin elsewhere, gives the same digest. The plugin
/// itself is not changed.
/// </summary>
public sealed partial class ManagedPluginService
{
    /// <summary>The plugin a push names; dockerd's 404 names it as given, tagged latest.</summary>
    public Plugin PushTarget(string name)
    {
        string shown = ImageReference.TryParse(name, addLatest: true, out var reference, out _) ? reference.FamiliarString : name;
        return Store.TryGet(name) ?? throw BerthException.NotFound($"plugin \"{shown}\" not found");
    }

    public async Task PushAsync(RegistryClient registry, string name, RegistryCredentials credentials, IProgress<JsonMessage>? progress, CancellationToken cancellationToken)
    {
        var plugin = PushTarget(name);
        var reference = ImageReference.ParseNamed(plugin.Name, addLatest: true);
        var reporter = new ProgressReporter(progress);
        reporter.Status($"The push refers to repository [{reference.FamiliarRepository}]");
        var pins = new List<IDisposable>();
        try
        {
            var blobs = await BlobsForPushAsync(plugin, pins, cancellationToken);
            var config = Digest.Parse(blobs.Config);
            var layers = blobs.Layers.Select(Digest.Parse).Select(d => (Digest: d, Size: Store.Content.SizeOf(d) ?? throw MissingBlob(plugin, d))).ToList();
            long configSize = Store.Content.SizeOf(config) ?? throw MissingBlob(plugin, config);
            byte[] manifest = PluginManifest.Build(config, configSize, layers);
            var manifestDigest = Digest.Of(manifest);

            // dockerd lists the manifest, the layers and the config, twice, then each as complete once all is sent.
            var ids = layers.Select(l => l.Digest.Short).Prepend(manifestDigest.Short).Append(config.Short).ToList();
            for (int round = 0; round < 2; round++) ids.ForEach(id => reporter.Layer(id, "Preparing"));
            try
            {
                var session = await registry.OpenPushSessionAsync(reference, credentials, cancellationToken);
                foreach (var (digest, size) in layers.Append((config, configSize)))
                {
                    if (await BlobUploader.ExistsAsync(session, digest, cancellationToken)) continue;
                    await BlobUploader.UploadAsync(session, Store.Content, digest, size, registry.Options.UploadMode, registry.Options.ChunkSize, null, _ => { }, cancellationToken);
                }
                await registry.PutManifestAsync(session, reference.Tag!, manifest, MediaTypes.DockerManifest, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw BerthException.Internal($"error pushing plugin: {(RegistryErrors.ForPush(e) is { } mapped ? mapped.Message : e.Message)}", e);
            }
            ids.ForEach(id => reporter.Layer(id, "Upload complete"));
            reporter.Aux(JsonSerializer.SerializeToElement(
                new PushResultAux { Tag = reference.Tag ?? ImageReference.DefaultTag, Digest = manifestDigest.ToString(), Size = manifest.Length }, ApiJsonContext.Default.PushResultAux));
        }
        finally
        {
            pins.ForEach(pin => pin.Dispose());
        }
    }

    /// <summary>
    /// The plugin's blobs, pinned for the push. A plugin made before berthd kept them is packed from its rootfs now,
    /// once (its config's diff ID becomes the new layer's).
    /// </summary>
    private async Task<PluginBlobs> BlobsForPushAsync(Plugin plugin, List<IDisposable> pins, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (Store.BlobsOf(plugin.Id) is { } blobs)
            {
                foreach (string digest in blobs.All) pins.Add(Store.Pin(digest));
                return blobs;
            }
            var current = Store.Get(plugin.Id);
            var config = Clone(current).Config;
            blobs = await PluginPacker.PackAsync(Store, Store.RootfsOf(current.Id), config, pins, cancellationToken);
            Metadata.JsonFiles.Write(Path.Combine(Store.DirOf(current.Id), PluginStore.ConfigFile), config, ApiJsonContext.Default.PluginConfig);
            Store.SaveBlobs(current.Id, blobs);
            current.Config = config;
            Store.Save(current);
            return blobs;
        }
        finally
        {
            _lock.Release();
        }
    }

    private static BerthException MissingBlob(Plugin plugin, Digest digest) =>
        BerthException.Internal($"plugin {plugin.Name}: blob {digest} is missing from the plugin store");
}
