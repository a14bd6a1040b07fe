using Berth.Oci.Content;
using Berth.Oci.Digests;
using Berth.Registry.Distribution;

namespace Berth.Registry.Storage;

/// <summary>
/// The registry's files under one root:
/// <code>
/// blobs/sha256/&lt;hex&gt;                                   content (FileContentStore, shared with the daemon)
/// ingest/, uploads/&lt;id&gt;/                               not-yet-verified bytes (never visible as blobs)
/// repositories/&lt;name&gt;/_layers/&lt;alg&gt;/&lt;hex&gt;                 blob linked into the repository (empty file)
/// repositories/&lt;name&gt;/_manifests/revisions/&lt;alg&gt;/&lt;hex&gt;   manifest in the repository (holds its media type)
/// repositories/&lt;name&gt;/_manifests/tags/&lt;tag&gt;                 tag (holds the manifest digest)
/// repositories/&lt;name&gt;/_referrers/&lt;alg&gt;/&lt;subject hex&gt;/&lt;hex&gt;  referrer descriptor (JSON)
/// </code>
/// Every file is written whole by rename, so a crash leaves each entry either absent or complete.
/// Names are validated (<see cref="RepositoryName"/>) before they reach here, so they are safe relative paths.
/// </summary>
public sealed partial class RegistryStorage
{
    private readonly string _repositories;

    public RegistryStorage(string root)
    {
        Root = root;
        Blobs = new FileContentStore(root);
        Uploads = new BlobUploadArea(Path.Combine(root, "uploads"), Blobs);
        _repositories = Path.Combine(root, "repositories");
        Directory.CreateDirectory(_repositories);
    }

    public string Root { get; }
    public FileContentStore Blobs { get; }
    public BlobUploadArea Uploads { get; }

    /// <summary>Removes what a crash left half-made: ingest files and temporary files next to links.</summary>
    public void Recover() => Blobs.Recover();

    public string RepositoryPath(string name) => Path.Combine(_repositories, name);

    public bool RepositoryExists(string name) => Directory.Exists(RepositoryPath(name));

    private string LayerLink(string name, Digest digest) => Path.Combine(RepositoryPath(name), "_layers", digest.Algorithm, digest.Hex);

    public void LinkBlob(string name, Digest digest) => WriteLink(LayerLink(name, digest), "");

    public bool IsBlobLinked(string name, Digest digest) => File.Exists(LayerLink(name, digest));

    public bool UnlinkBlob(string name, Digest digest)
    {
        bool removed = DeleteFile(LayerLink(name, digest));
        ForgetBlob(name, digest);
        return removed;
    }

    public IEnumerable<Digest> LinkedBlobs(string name) => ListDigests(Path.Combine(RepositoryPath(name), "_layers"));

    /// <summary>Blob GET serves both layers linked into the repository and the repository's manifests.</summary>
    public bool IsReadable(string name, Digest digest) => IsBlobLinked(name, digest) || HasManifest(name, digest);

    internal static void WriteLink(string path, string content)
    {
        if (File.Exists(path) && content.Length == 0) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(content));
    }

    internal static bool DeleteFile(string path)
    {
        try
        {
            if (!File.Exists(path)) return false;
            File.Delete(path);
            return true;
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
    }

    internal static IEnumerable<Digest> ListDigests(string directory)
    {
        if (!Directory.Exists(directory)) yield break;
        foreach (var algorithmDir in Directory.EnumerateDirectories(directory))
        {
            string algorithm = Path.GetFileName(algorithmDir);
            foreach (var file in Directory.EnumerateFiles(algorithmDir))
                if (Digest.TryParse($"{algorithm}:{Path.GetFileName(file)}", out var digest)) yield return digest;
        }
    }

    /// <summary>Repository names in lexical order: directories holding manifests or layers.</summary>
    public List<string> ListRepositories()
    {
        var names = new List<string>();
        Walk(_repositories, "", names);
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private static void Walk(string directory, string prefix, List<string> names)
    {
        bool isRepository = false;
        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            string name = Path.GetFileName(child);
            if (name.StartsWith('_')) { isRepository |= name is "_manifests" or "_layers"; continue; }
            Walk(child, prefix.Length == 0 ? name : $"{prefix}/{name}", names);
        }
        if (isRepository && prefix.Length > 0) names.Add(prefix);
    }
}
