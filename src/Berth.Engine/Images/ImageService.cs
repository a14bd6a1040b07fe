using System.Text.Json;
using Berth.Engine.Events;
using Berth.Engine.Snapshots;
using Berth.Oci.Errors;
using Berth.Oci.Images;
using Berth.Oci.References;

namespace Berth.Engine.Images;

/// <summary>What happened to one reference or image during a delete, in Docker's order (untags first, then deletes).</summary>
public sealed record ImageDeletion(string? Untagged, string? Deleted);

/// <summary>Image operations above the store: tag, delete with Docker's rules, prune, import. (Partial: .Archive.cs.)</summary>
public sealed partial class ImageService(ImageStore store, LayerStore layers, EventBus events, Func<string, ImageUse?> usage)
{
    public ImageStore Store => store;

    private void Publish(string action, string id, string name)
    {
        events.Publish("image", action, id, new Dictionary<string, string> { ["name"] = name });
    }

    public void Tag(string source, string repository, string? tag)
    {
        var image = store.Resolve(source);
        var reference = ParseTagTarget(repository, tag);
        store.Tag(image.Id, reference);
        Publish("tag", image.Id, reference.FamiliarString);
    }

    public static ImageReference ParseTagTarget(string repository, string? tag)
    {
        if (string.IsNullOrEmpty(repository)) throw BerthException.Invalid("repository name must have at least one component");
        var named = ImageReference.ParseNamed(repository, addLatest: false);
        if (named.Digest is not null) throw BerthException.Invalid("refusing to create a tag with a digest reference");
        if (!string.IsNullOrEmpty(tag))
        {
            if (named.Tag is not null) throw BerthException.Invalid("invalid reference format");
            named = ImageReference.ParseNamed($"{repository}:{tag}", addLatest: false);
        }
        if (ImageReference.LooksLikeFullId(named.Path.Replace("library/", "")))
            throw BerthException.Invalid("invalid repository name (" + named.Path + "), cannot specify 64-byte hexadecimal strings");
        return named.Tag is null ? named.WithTag(ImageReference.DefaultTag) : named;
    }

    /// <summary>
    /// docker rmi: a name only untags unless it was the image's last name; an ID deletes the image. Refused (409)
    /// when a container uses the image (running: even with force) or an ID names several repositories without force.
    /// </summary>
    public List<ImageDeletion> Delete(string nameOrId, bool force, bool prune)
    {
        var image = store.Resolve(nameOrId);
        var results = new List<ImageDeletion>();
        bool byReference = !ImageReference.LooksLikeFullId(nameOrId) && !IsIdPrefix(nameOrId, image.Id)
                           && ImageReference.TryParse(nameOrId, addLatest: true, out _, out _);
        var names = store.ReferencesTo(image.Id);
        var use = usage(image.Id);

        if (byReference)
        {
            var reference = ImageReference.Parse(nameOrId);
            var digestsToo = DigestsLeftWithoutTag(reference, names);
            int remaining = names.Count - 1 - digestsToo.Count;
            if (remaining > 0 || (use is not null && !force))
            {
                if (remaining == 0)
                    throw BerthException.Conflict($"conflict: unable to remove repository reference \"{nameOrId}\" (must force) - container {use!.ContainerId[..12]} is using its referenced image {image.Id[7..19]}");
                foreach (var gone in digestsToo.Prepend(reference))
                {
                    store.Untag(gone);
                    results.Add(new ImageDeletion(gone.FamiliarString, null));
                    Publish("untag", image.Id, gone.FamiliarString);
                }
                return results;
            }
        }
        else if (names.Count > 1 && !force)
        {
            throw BerthException.Conflict($"conflict: unable to delete {image.Id[7..19]} (must be forced) - image is referenced in multiple repositories");
        }
        if (use is { Running: true })
            throw BerthException.Conflict($"conflict: unable to delete {image.Id[7..19]} (cannot be forced) - image is being used by running container {use.ContainerId[..12]}");
        if (use is not null && !force)
            throw BerthException.Conflict($"conflict: unable to delete {image.Id[7..19]} (must be forced) - image is being used by stopped container {use.ContainerId[..12]}");
        if (store.ChildrenOf(image.Id).Count > 0 && !force)
            throw BerthException.Conflict($"conflict: unable to delete {image.Id[7..19]} (cannot be forced) - image has dependent child images");

        foreach (var name in names)
        {
            var reference = ImageReference.ParseNamed(name, addLatest: false);
            store.Untag(reference);
            results.Add(new ImageDeletion(reference.FamiliarString, null));
            Publish("untag", image.Id, reference.FamiliarString);
        }
        if (use is null || force)
        {
            string? parent = image.Record.Parent;
            store.Delete(image.Id);
            results.Add(new ImageDeletion(null, image.Id));
            Publish("delete", image.Id, image.Id);
            // Docker also removes untagged parents that nothing else needs (unless noprune).
            while (prune && parent is not null && store.TryGet(parent) is { } p && p.RepoTags.Count == 0
                   && store.ChildrenOf(parent).Count == 0 && usage(parent) is null)
            {
                string? next = p.Record.Parent;
                store.Delete(parent);
                results.Add(new ImageDeletion(null, parent));
                Publish("delete", parent, parent);
                parent = next;
            }
        }
        return results;
    }

    /// <summary>
    /// As in Docker: removing a repository's last tag also removes that repository's digest references (from a pull or
    /// push), so <c>rmi repo:tag</c> deletes a pulled image rather than leaving it behind its RepoDigests.
    /// </summary>
    private static List<ImageReference> DigestsLeftWithoutTag(ImageReference removed, IReadOnlyList<string> names)
    {
        if (removed.Digest is not null) return [];
        var parsed = names.Select(n => ImageReference.ParseNamed(n, addLatest: false)).Where(r => r.Repository == removed.Repository).ToList();
        if (parsed.Any(r => r.Digest is null && r.Tag is not null && r.Tag != removed.Tag)) return [];
        return parsed.Where(r => r.Digest is not null).ToList();
    }

    private static bool IsIdPrefix(string text, string id)
    {
        string hex = text.StartsWith("sha256:", StringComparison.Ordinal) ? text[7..] : text;
        return hex.Length > 0 && hex.All(char.IsAsciiHexDigitLower) && id.AsSpan(7).StartsWith(hex, StringComparison.Ordinal);
    }

    /// <summary>Removes dangling images (or, with <paramref name="danglingOnly"/> false, every image no container uses).</summary>
    public (List<ImageDeletion> Deleted, long Reclaimed) Prune(bool danglingOnly, Func<Image, bool> filter)
    {
        var deleted = new List<ImageDeletion>();
        long reclaimed = 0;
        foreach (var image in store.List().OrderByDescending(i => i.Config.Created))
        {
            if (store.TryGet(image.Id) is null) continue;
            if (danglingOnly && image.RepoTags.Count > 0) continue;
            if (usage(image.Id) is not null || !filter(image) || store.ChildrenOf(image.Id).Count > 0) continue;
            long before = LayerBytes();
            deleted.AddRange(Delete(image.Id, force: true, prune: true));
            reclaimed += before - LayerBytes();
        }
        return (deleted, reclaimed);
    }

    private long LayerBytes() => layers.List().Sum(c => layers.Get(c).Size);

    /// <summary>docker import: one layer from a tar, a fresh config with <paramref name="changes"/> applied.</summary>
    public async Task<Image> ImportAsync(Stream tar, string? repository, string? tag, string? message, IReadOnlyList<string> changes, string source, CancellationToken cancellationToken)
    {
        ImageReference? target = string.IsNullOrEmpty(repository) ? null : ParseTagTarget(repository, tag);
        var runtimeConfig = new ImageRuntimeConfig();
        ChangeInstructions.Apply(runtimeConfig, changes);
        var layer = await layers.RegisterAsync(tar, null, null, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var config = new ImageConfig
        {
            Architecture = Platform.Architecture,
            Os = "linux",
            Created = now,
            Comment = string.IsNullOrEmpty(message) ? null : message,
            Config = runtimeConfig,
            RootFs = new ImageRootFs { DiffIds = [layer.DiffId] },
            History = [new ImageHistory { Created = now, CreatedBy = "", Comment = string.IsNullOrEmpty(message) ? $"Imported from {source}" : message }],
        };
        var image = await store.CreateAsync(JsonSerializer.SerializeToUtf8Bytes(config, OciImageJsonContext.Default.ImageConfig), null, cancellationToken);
        Publish("import", image.Id, image.Id);
        if (target is not null)
        {
            store.Tag(image.Id, target);
            Publish("tag", image.Id, target.FamiliarString);
        }
        return store.TryGet(image.Id)!;
    }
}

/// <summary>A container using an image, for rmi's refusal messages.</summary>
public sealed record ImageUse(string ContainerId, bool Running);

public static class Platform
{
    public static string Architecture => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        _ => "amd64",
    };
}
