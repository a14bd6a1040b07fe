using System.Text;
using Berth.Oci.Digests;

namespace Berth.Registry.Storage;

/// <summary>A manifest as the registry serves it.</summary>
public readonly record struct StoredManifest(Digest Digest, string MediaType);

public sealed partial class RegistryStorage
{
    private string ManifestsPath(string name) => Path.Combine(RepositoryPath(name), "_manifests");
    private string RevisionLink(string name, Digest digest) => Path.Combine(ManifestsPath(name), "revisions", digest.Algorithm, digest.Hex);
    private string TagsPath(string name) => Path.Combine(ManifestsPath(name), "tags");
    private string TagLink(string name, string tag) => Path.Combine(TagsPath(name), tag);

    public bool HasManifest(string name, Digest digest) => FindManifest(name, digest) is not null;

    public bool HasManifests(string name) => Directory.Exists(ManifestsPath(name));

    /// <summary>The manifest with this digest in the repository, or null.</summary>
    public StoredManifest? FindManifest(string name, Digest digest)
    {
        string? mediaType = CachedMediaType(name, digest, () => ReadSmallFile(RevisionLink(name, digest)));
        return mediaType is null ? null : new StoredManifest(digest, mediaType);
    }

    public Digest? ResolveTag(string name, string tag) => CachedResolveTag(name, tag, () =>
    {
        string? text = ReadSmallFile(TagLink(name, tag));
        return text is not null && Digest.TryParse(text, out var digest) ? digest : null;
    });

    /// <summary>Records a manifest whose bytes are already in the blob store.</summary>
    public void AddManifest(string name, Digest digest, string mediaType)
    {
        WriteLink(RevisionLink(name, digest), mediaType);
        ForgetManifest(name, digest);
    }

    public void Tag(string name, string tag, Digest digest)
    {
        WriteLink(TagLink(name, tag), digest.ToString());
        ForgetTag(name, tag);
    }

    public bool Untag(string name, string tag)
    {
        bool removed = DeleteFile(TagLink(name, tag));
        ForgetTag(name, tag);
        return removed;
    }

    /// <summary>Removes the manifest from the repository and every tag that points at it.</summary>
    public bool RemoveManifest(string name, Digest digest)
    {
        bool removed = DeleteFile(RevisionLink(name, digest));
        ForgetManifest(name, digest);
        if (!removed) return false;
        foreach (var (tag, target) in ListTagTargets(name))
            if (target == digest) Untag(name, tag);
        return true;
    }

    public IEnumerable<Digest> ListManifests(string name) => ListDigests(Path.Combine(ManifestsPath(name), "revisions"));

    /// <summary>Tags in lexical (ordinal) order; null when the repository does not exist.</summary>
    public List<string>? ListTags(string name)
    {
        if (!HasManifests(name)) return null;
        var tags = new List<string>();
        string dir = TagsPath(name);
        if (Directory.Exists(dir))
            foreach (var file in Directory.EnumerateFiles(dir))
            {
                string tag = Path.GetFileName(file);
                if (!tag.StartsWith(Oci.Content.AtomicFile.TempPrefix, StringComparison.Ordinal)) tags.Add(tag);
            }
        tags.Sort(StringComparer.Ordinal);
        return tags;
    }

    public IEnumerable<(string Tag, Digest Digest)> ListTagTargets(string name)
    {
        foreach (var tag in ListTags(name) ?? [])
            if (ResolveTag(name, tag) is { } digest) yield return (tag, digest);
    }

    private static string? ReadSmallFile(string path)
    {
        try
        {
            return Encoding.UTF8.GetString(File.ReadAllBytes(path));
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }
}
