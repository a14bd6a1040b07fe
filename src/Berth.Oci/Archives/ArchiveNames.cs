using System.Text;
using Berth.Oci.Digests;

namespace Berth.Oci.Archives;

/// <summary>Names and IDs the archive layout derives from an image: chain IDs, legacy v1 layer IDs, tag parts.</summary>
internal static class ArchiveNames
{
    public static string BlobPath(Digest digest) => $"blobs/{digest.Algorithm}/{digest.Hex}";

    /// <summary>The OCI chain ID of each layer prefix: chain(0) = diff(0), chain(n) = sha256(chain(n-1) + " " + diff(n)).</summary>
    public static List<Digest> ChainIds(IReadOnlyList<Digest> diffIds)
    {
        var chain = new List<Digest>(diffIds.Count);
        foreach (var diffId in diffIds)
            chain.Add(chain.Count == 0 ? diffId : Digest.Of(Encoding.ASCII.GetBytes($"{chain[^1]} {diffId}")));
        return chain;
    }

    /// <summary>
    /// Legacy v1 layer directory IDs. Docker derives them from the chain and, for the top layer, the config; only
    /// their uniqueness matters to loaders (they read manifest.json), so any stable sha256 of the same inputs does.
    /// </summary>
    public static List<string> V1Ids(IReadOnlyList<Digest> diffIds, Digest configDigest)
    {
        var chain = ChainIds(diffIds);
        var ids = new List<string>(chain.Count);
        for (int i = 0; i < chain.Count; i++)
        {
            string parent = i == 0 ? "" : ids[i - 1];
            string top = i == chain.Count - 1 ? configDigest.ToString() : "";
            ids.Add(Digest.Of(Encoding.ASCII.GetBytes($"{parent}\n{chain[i]}\n{top}")).Hex);
        }
        return ids;
    }

    /// <summary>Splits "name:tag" (the tag follows the last colon after the last slash); null without a tag.</summary>
    public static (string Repository, string Tag)? SplitTag(string repoTag)
    {
        int colon = repoTag.LastIndexOf(':');
        if (colon <= 0 || colon < repoTag.LastIndexOf('/') || colon == repoTag.Length - 1) return null;
        return (repoTag[..colon], repoTag[(colon + 1)..]);
    }

    /// <summary>The fully qualified form containerd keeps in index.json: "busybox:latest" → "docker.io/library/busybox:latest".</summary>
    public static string FullyQualified(string repoTag)
    {
        int slash = repoTag.IndexOf('/');
        string first = slash < 0 ? "" : repoTag[..slash];
        bool hasDomain = first.Contains('.') || first.Contains(':') || first == "localhost";
        if (hasDomain) return repoTag;
        return slash < 0 ? "docker.io/library/" + repoTag : "docker.io/" + repoTag;
    }
}
