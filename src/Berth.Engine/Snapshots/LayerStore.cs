using System.Collections.Concurrent;
using Berth.Engine.Metadata;
using Berth.Oci.Content;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.Layers;

namespace Berth.Engine.Snapshots;

/// <summary>
/// Layers unpacked once into <c>root/&lt;chain-hex&gt;/diff</c>, the read-only lower directories of overlay mounts.
/// A layer is unpacked into a temporary directory and renamed into place when complete, so a crash never leaves
/// a half-unpacked layer under its final name; <see cref="Recover"/> removes the leftovers.
/// </summary>
public sealed class LayerStore
{
    private const string TempPrefix = ".tmp-";
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();

    private readonly IContentStore _content;

    public LayerStore(string root, IContentStore content)
    {
        _content = content;
        Root = root;
        Directory.CreateDirectory(root);
        // Pulls, loads and image removals create and free a layer's files by the thousand in bursts.
        SpreadSubdirectories.Request(root);
        EmptyDir = Path.Combine(root, "empty");
        Directory.CreateDirectory(EmptyDir);
    }

    public string Root { get; }

    /// <summary>An empty read-only directory, the lower dir of images with no layers.</summary>
    public string EmptyDir { get; }

    public void Recover()
    {
        foreach (var dir in Directory.EnumerateDirectories(Root, TempPrefix + "*"))
            Directory.Delete(dir, recursive: true);
    }

    private string DirOf(string chainId) => Path.Combine(Root, Digest.Parse(chainId).Hex);

    public string DiffDirOf(string chainId) => Path.Combine(DirOf(chainId), "diff");

    public bool Exists(string chainId) => File.Exists(Path.Combine(DirOf(chainId), "layer.json"));

    public LayerRecord Get(string chainId) =>
        JsonFiles.Read(Path.Combine(DirOf(chainId), "layer.json"), SnapshotJsonContext.Default.LayerRecord)
        ?? throw BerthException.NotFound($"layer {chainId}: not found");

    /// <summary>
    /// Stores <paramref name="layerTar"/> (plain or compressed, see <see cref="Compression"/>) as a blob, then unpacks it on top of
    /// <paramref name="parentChainId"/>. The blob is kept so that save and push hand out the layer's exact bytes
    /// (its diff ID must match the image config). When the chain already exists the new copy is dropped.
    /// </summary>
    public async Task<LayerRecord> RegisterAsync(Stream layerTar, string? parentChainId, string? expectedDiffId, CancellationToken cancellationToken)
    {
        var blob = await _content.WriteAsync(layerTar, null, null, cancellationToken);
        await using var stored = _content.OpenRead(blob.Digest);
        return await RegisterBlobAsync(stored, blob, parentChainId, expectedDiffId, cancellationToken);
    }

    /// <summary>
    /// Unpacks a blob that is already in the content store (a pulled layer, verified while it was downloaded) without
    /// writing its bytes a second time. <paramref name="blobStream"/> reads that blob (wrapped to count progress, say).
    /// </summary>
    public Task<LayerRecord> RegisterStoredAsync(Stream blobStream, Digest blob, long blobSize, string? parentChainId, string? expectedDiffId, CancellationToken cancellationToken)
    {
        if (!_content.Exists(blob)) throw BerthException.NotFound($"layer blob {blob}: not in the content store");
        return RegisterBlobAsync(blobStream, new BlobInfo(blob, blobSize), parentChainId, expectedDiffId, cancellationToken);
    }

    private async Task<LayerRecord> RegisterBlobAsync(Stream layerTar, BlobInfo blob, string? parentChainId, string? expectedDiffId, CancellationToken cancellationToken)
    {
        if (parentChainId is not null && !Exists(parentChainId))
            throw BerthException.NotFound($"layer {parentChainId}: parent not found");
        string temp = Path.Combine(Root, TempPrefix + Guid.NewGuid().ToString("N"));
        string tempDiff = Path.Combine(temp, "diff");
        Directory.CreateDirectory(tempDiff);
        try
        {
            var applied = await LayerApplier.ApplyAsync(layerTar, tempDiff, cancellationToken);
            string diffId = applied.DiffId.ToString();
            if (expectedDiffId is not null && expectedDiffId != diffId)
                throw BerthException.Invalid($"layer content hashes to {diffId}, expected {expectedDiffId}");
            string chainId = ChainIds.Next(parentChainId, diffId);
            var record = new LayerRecord { ChainId = chainId, DiffId = diffId, Parent = parentChainId, Size = applied.ContentSize, Blob = blob.Digest.ToString(), BlobSize = blob.Size };
            var gate = _locks.GetOrAdd(chainId, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken);
            try
            {
                if (Exists(chainId)) return Get(chainId);
                JsonFiles.Write(Path.Combine(temp, "layer.json"), record, SnapshotJsonContext.Default.LayerRecord);
                string final = DirOf(chainId);
                if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
                Directory.Move(temp, final);
                return record;
            }
            finally
            {
                gate.Release();
            }
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>The layer as an uncompressed tar, from the blob it was registered from.</summary>
    public async Task<Stream> OpenTarAsync(string chainId, CancellationToken cancellationToken)
    {
        var record = Get(chainId);
        if (record.Blob is null) throw BerthException.NotFound($"layer {chainId}: its tar is not kept");
        var (content, _) = await Compression.DecompressAsync(_content.OpenRead(Digest.Parse(record.Blob)), leaveOpen: false, cancellationToken);
        return content;
    }

    /// <summary>Removes a layer directory and its blob. Callers make sure no image or container still uses it.</summary>
    public void Delete(string chainId)
    {
        string dir = DirOf(chainId);
        if (!Directory.Exists(dir)) return;
        if (Get(chainId).Blob is { } blob && !List().Any(other => other != chainId && Get(other).Blob == blob))
            _content.Delete(Digest.Parse(blob));
        // Rename first so that a crash mid-delete leaves a temp dir for recovery, not a damaged layer.
        string doomed = Path.Combine(Root, TempPrefix + Guid.NewGuid().ToString("N"));
        Directory.Move(dir, doomed);
        Directory.Delete(doomed, recursive: true);
    }

    public IEnumerable<string> List()
    {
        foreach (var dir in Directory.EnumerateDirectories(Root))
        {
            string name = Path.GetFileName(dir);
            if (name.Length == 64 && File.Exists(Path.Combine(dir, "layer.json"))) yield return "sha256:" + name;
        }
    }
}
