using Berth.Oci.Digests;
using Berth.Oci.Errors;
using Berth.Registry.Distribution;
using Berth.Registry.Storage;

namespace Berth.Registry.Gc;

/// <param name="DryRun">Report what would go, remove nothing.</param>
/// <param name="DeleteUntagged">Also remove manifests no tag reaches (directly, through an index, or as a referrer of a kept manifest).</param>
/// <param name="MinAge">Leave anything younger alone: blobs of a push in progress are not referenced by a manifest yet.</param>
public sealed record GcOptions(bool DryRun, bool DeleteUntagged, TimeSpan MinAge);

public sealed record GcReport(int BlobsKept, int BlobsRemoved, long BytesRemoved, int ManifestsRemoved, bool DryRun)
{
    public override string ToString() =>
        $"{(DryRun ? "would remove" : "removed")} {BlobsRemoved} blob(s) ({BytesRemoved} bytes) and {ManifestsRemoved} manifest(s); kept {BlobsKept} blob(s)";
}

/// <summary>
/// Mark and sweep over the registry root. Safe beside a serving registry's reads: a blob file removed while being
/// read stays readable through the open handle, and nothing referenced is ever removed.
/// </summary>
public static class GarbageCollector
{
    public static Task<GcReport> RunAsync(RegistryStorage storage, GcOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var cutoff = DateTime.UtcNow - options.MinAge;
        var marked = new HashSet<Digest>();
        int manifestsRemoved = 0;

        foreach (var repository in storage.ListRepositories())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var all = storage.ListManifests(repository).ToList();
            var parsed = new Dictionary<Digest, ParsedManifest?>();
            foreach (var digest in all) parsed[digest] = TryParse(storage, digest);

            var kept = new HashSet<Digest>();
            var pending = new Stack<Digest>(options.DeleteUntagged
                ? storage.ListTagTargets(repository).Select(t => t.Digest)
                : all);
            // Untagged manifests younger than the cutoff may be index children whose index is not pushed yet.
            foreach (var digest in all)
                if (options.DeleteUntagged && RevisionTime(storage, repository, digest) > cutoff) pending.Push(digest);
            while (true)
            {
                while (pending.TryPop(out var digest))
                {
                    if (!kept.Add(digest)) continue;
                    if (parsed.GetValueOrDefault(digest) is not { } manifest) continue;
                    foreach (var child in manifest.Manifests)
                        if (Digest.TryParse(child.Digest, out var childDigest) && parsed.ContainsKey(childDigest)) pending.Push(childDigest);
                }
                // Referrers (signatures, SBOMs) of kept manifests are kept even when untagged.
                foreach (var (digest, manifest) in parsed)
                    if (!kept.Contains(digest) && manifest?.Subject is { } subject && Digest.TryParse(subject.Digest, out var s) && kept.Contains(s))
                        pending.Push(digest);
                if (pending.Count == 0) break;
            }

            foreach (var digest in all)
            {
                if (kept.Contains(digest)) continue;
                log.WriteLine($"{repository}: manifest {digest} is untagged{(options.DryRun ? "" : ", removing")}");
                manifestsRemoved++;
                if (options.DryRun) continue;
                storage.RemoveManifest(repository, digest);
                if (parsed[digest]?.Subject is { } subject && Digest.TryParse(subject.Digest, out var s)) storage.RemoveReferrer(repository, s, digest);
            }
            foreach (var digest in kept)
            {
                marked.Add(digest);
                if (parsed.GetValueOrDefault(digest) is not { } manifest) continue;
                if (manifest.Config is { } config && Digest.TryParse(config.Digest, out var c)) marked.Add(c);
                foreach (var layer in manifest.Layers)
                    if (Digest.TryParse(layer.Digest, out var l)) marked.Add(l);
            }
        }

        int keptBlobs = 0, removed = 0;
        long bytes = 0;
        var gone = new HashSet<Digest>();
        foreach (var digest in storage.Blobs.List().ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (marked.Contains(digest)) { keptBlobs++; continue; }
            var info = new FileInfo(storage.Blobs.PathFor(digest));
            if (!info.Exists) continue;
            if (info.LastWriteTimeUtc > cutoff) { keptBlobs++; continue; }
            log.WriteLine($"blob {digest}: unreferenced ({info.Length} bytes){(options.DryRun ? "" : ", removing")}");
            removed++;
            bytes += info.Length;
            gone.Add(digest);
            if (!options.DryRun) storage.Blobs.Delete(digest);
        }
        if (!options.DryRun && gone.Count > 0)
            foreach (var repository in storage.ListRepositories())
                foreach (var linked in storage.LinkedBlobs(repository).ToList())
                    if (gone.Contains(linked)) storage.UnlinkBlob(repository, linked);

        return Task.FromResult(new GcReport(keptBlobs, removed, bytes, manifestsRemoved, options.DryRun));
    }

    private static DateTime RevisionTime(RegistryStorage storage, string repository, Digest digest) =>
        File.GetLastWriteTimeUtc(Path.Combine(storage.RepositoryPath(repository), "_manifests", "revisions", digest.Algorithm, digest.Hex));

    private static ParsedManifest? TryParse(RegistryStorage storage, Digest digest)
    {
        try
        {
            return ManifestParser.Parse(File.ReadAllBytes(storage.Blobs.PathFor(digest)), null);
        }
        catch (Exception e) when (e is BerthException or IOException)
        {
            return null;
        }
    }
}
