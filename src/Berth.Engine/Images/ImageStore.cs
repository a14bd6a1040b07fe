using System.Text.Json;
using Berth.Engine.Metadata;
using Berth.Engine.Snapshots;
using Berth.Oci.Content;
using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Oci.Images;
using Berth.Oci.References;

namespace Berth.Engine.Images;

/// <summary>
/// Local images: config blobs in the content store, a small record per image, and one reference table mapping
/// canonical names (<c>docker.io/library/busybox:latest</c>, <c>…@sha256:…</c>) to image IDs. All mutations happen
/// under one lock and every file is written atomically.
/// </summary>
public sealed class ImageStore
{
    private readonly object _gate = new();
    private readonly string _recordsDir;
    private readonly string _referencesPath;
    private readonly IContentStore _content;
    private readonly LayerStore _layers;
    private readonly Dictionary<string, Image> _images = new(StringComparer.Ordinal);
    private ReferenceTable _references = new();

    public ImageStore(string root, IContentStore content, LayerStore layers)
    {
        _recordsDir = Path.Combine(root, "records");
        _referencesPath = Path.Combine(root, "references.json");
        Directory.CreateDirectory(_recordsDir);
        _content = content;
        _layers = layers;
        Load();
    }

    private void Load()
    {
        AtomicFile.RemoveLeftovers(_recordsDir);
        AtomicFile.RemoveLeftovers(Path.GetDirectoryName(_referencesPath)!);
        _references = JsonFiles.Read(_referencesPath, ImageJsonContext.Default.ReferenceTable) ?? new ReferenceTable();
        foreach (var file in Directory.EnumerateFiles(_recordsDir, "*.json"))
        {
            var record = JsonFiles.Read(file, ImageJsonContext.Default.ImageRecord);
            if (record is null) continue;
            var digest = Digest.Parse(record.Id);
            if (!_content.Exists(digest)) { File.Delete(file); continue; }
            var config = ParseConfig(ReadConfigBytes(digest));
            var chain = ChainIds.FromDiffIds(config.RootFs.DiffIds);
            if (!chain.All(_layers.Exists)) { File.Delete(file); continue; }
            _images[record.Id] = Build(record, config, chain);
        }
        // Drop references to images that did not survive (a crash between writing the two files).
        var dangling = _references.References.Where(kv => !_images.ContainsKey(kv.Value)).Select(kv => kv.Key).ToList();
        if (dangling.Count > 0)
        {
            foreach (var key in dangling) _references.References.Remove(key);
            SaveReferences();
        }
        RefreshNames();
    }

    public static ImageConfig ParseConfig(ReadOnlySpan<byte> configJson)
    {
        try
        {
            return JsonSerializer.Deserialize(configJson, OciImageJsonContext.Default.ImageConfig)
                   ?? throw BerthException.Invalid("invalid image config: null");
        }
        catch (JsonException e)
        {
            throw BerthException.Invalid($"invalid image config: {e.Message}");
        }
    }

    public byte[] ReadConfigBytes(Digest id)
    {
        using var stream = _content.OpenRead(id);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>Registers an image from its config; every layer the config names must already be in the layer store.</summary>
    public async Task<Image> CreateAsync(byte[] configJson, string? parent, CancellationToken cancellationToken)
    {
        var config = ParseConfig(configJson);
        var chain = ChainIds.FromDiffIds(config.RootFs.DiffIds);
        foreach (var chainId in chain)
            if (!_layers.Exists(chainId)) throw BerthException.Invalid($"image config names layer {chainId}, which is not present");
        var blob = await _content.WriteAsync(configJson, cancellationToken);
        string id = blob.Digest.ToString();
        lock (_gate)
        {
            if (_images.TryGetValue(id, out var existing)) return existing;
            long size = chain.Sum(c => _layers.Get(c).Size);
            var record = new ImageRecord { Id = id, Parent = parent, Size = size };
            JsonFiles.Write(RecordPath(id), record, ImageJsonContext.Default.ImageRecord);
            var image = Build(record, config, chain);
            _images[id] = image;
            return image;
        }
    }

    private string RecordPath(string id) => Path.Combine(_recordsDir, Digest.Parse(id).Hex + ".json");

    private Image Build(ImageRecord record, ImageConfig config, List<string> chain) => new(record, config, chain, [], []);

    public IReadOnlyList<Image> List()
    {
        lock (_gate) return _images.Values.ToList();
    }

    public Image? TryGet(string id)
    {
        lock (_gate) return _images.GetValueOrDefault(id);
    }

    /// <summary>Finds an image as Docker does: a full ID, then a name (tag or digest), then an unambiguous ID prefix.</summary>
    public Image Resolve(string nameOrId) => TryResolve(nameOrId) ?? throw NotFound(nameOrId);

    /// <summary>
    /// dockerd's error for a name that finds no image: "No such image: NAME:latest" (the name as a reference, with the
    /// default tag), the text itself for IDs and digests, and the reference error for a name that cannot be one.
    /// </summary>
    public static BerthException NotFound(string nameOrId)
    {
        if (ImageReference.LooksLikeFullId(nameOrId) || nameOrId.StartsWith("sha256:", StringComparison.Ordinal))
            return BerthException.NotFound($"No such image: {nameOrId}");
        if (ImageReference.TryParse(nameOrId, addLatest: true, out var reference, out string error))
            return BerthException.NotFound($"No such image: {reference.FamiliarString}");
        return BerthException.Invalid(error);
    }

    public Image? TryResolve(string nameOrId)
    {
        lock (_gate)
        {
            string candidate = nameOrId.StartsWith("sha256:", StringComparison.Ordinal) ? nameOrId : "sha256:" + nameOrId;
            if (ImageReference.LooksLikeFullId(nameOrId)) return _images.GetValueOrDefault(candidate);
            if (ImageReference.TryParse(nameOrId, addLatest: true, out var reference, out _)
                && _references.References.TryGetValue(reference.ToString(), out var id))
                return _images.GetValueOrDefault(id);
            string hex = nameOrId.StartsWith("sha256:", StringComparison.Ordinal) ? nameOrId[7..] : nameOrId;
            if (hex.Length == 0 || !hex.All(char.IsAsciiHexDigitLower)) return null;
            var matches = _images.Keys.Where(k => k.AsSpan(7).StartsWith(hex, StringComparison.Ordinal)).Take(2).ToList();
            return matches.Count == 1 ? _images[matches[0]] : null;
        }
    }

    /// <summary>Points a reference at an image, returning the image it pointed at before (if another).</summary>
    public string? Tag(string imageId, ImageReference reference)
    {
        lock (_gate)
        {
            if (!_images.TryGetValue(imageId, out var image)) throw BerthException.NotFound($"No such image: {imageId}");
            string key = reference.ToString();
            _references.References.TryGetValue(key, out var previous);
            _references.References[key] = imageId;
            SaveReferences();
            image.Record.LastTagTime = DateTimeOffset.UtcNow;
            JsonFiles.Write(RecordPath(imageId), image.Record, ImageJsonContext.Default.ImageRecord);
            RefreshNames();
            return previous == imageId ? null : previous;
        }
    }

    /// <summary>Removes a reference; returns the image it named, or null when it named none.</summary>
    public string? Untag(ImageReference reference)
    {
        lock (_gate)
        {
            string key = reference.ToString();
            if (!_references.References.Remove(key, out var id)) return null;
            SaveReferences();
            RefreshNames();
            return id;
        }
    }

    public IReadOnlyList<string> ReferencesTo(string imageId)
    {
        lock (_gate) return _references.References.Where(kv => kv.Value == imageId).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Deletes an image with no references left, and the layers no other image uses.</summary>
    public void Delete(string imageId)
    {
        lock (_gate)
        {
            if (!_images.Remove(imageId, out var image)) throw BerthException.NotFound($"No such image: {imageId}");
            foreach (var key in _references.References.Where(kv => kv.Value == imageId).Select(kv => kv.Key).ToList())
                _references.References.Remove(key);
            SaveReferences();
            File.Delete(RecordPath(imageId));
            var stillUsed = _images.Values.SelectMany(i => i.ChainIds).ToHashSet(StringComparer.Ordinal);
            foreach (var chainId in image.ChainIds.Where(c => !stillUsed.Contains(c)))
                _layers.Delete(chainId);
            _content.Delete(Digest.Parse(imageId));
            RefreshNames();
        }
    }

    /// <summary>Images whose parent is <paramref name="imageId"/> (Docker refuses to delete a parent of a tagged child).</summary>
    public IReadOnlyList<Image> ChildrenOf(string imageId)
    {
        lock (_gate) return _images.Values.Where(i => i.Record.Parent == imageId).ToList();
    }

    private void SaveReferences() => JsonFiles.Write(_referencesPath, _references, ImageJsonContext.Default.ReferenceTable);

    /// <summary>Recomputes each image's RepoTags/RepoDigests (familiar forms, sorted) from the reference table.</summary>
    private void RefreshNames()
    {
        var tags = new Dictionary<string, List<string>>();
        var digests = new Dictionary<string, List<string>>();
        foreach (var (key, id) in _references.References)
        {
            var reference = ImageReference.ParseNamed(key, addLatest: false);
            var target = reference.Digest is null ? tags : digests;
            if (!target.TryGetValue(id, out var list)) target[id] = list = [];
            list.Add(reference.FamiliarString);
        }
        foreach (var id in _images.Keys.ToList())
        {
            var image = _images[id];
            _images[id] = image with
            {
                RepoTags = tags.TryGetValue(id, out var t) ? t.Order(StringComparer.Ordinal).ToList() : [],
                RepoDigests = digests.TryGetValue(id, out var d) ? d.Order(StringComparer.Ordinal).ToList() : [],
            };
        }
    }
}
