using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Cli.Output;

namespace Berth.Cli.Formatting;

/// <summary>The fields of docker's image list templates, one row per repository:tag (or digest) of each image.</summary>
public static class ImageRows
{
    public const string DefaultTable = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    public const string DigestTable = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";

    public static JsonObject Header() => new()
    {
        ["Containers"] = "CONTAINERS",
        ["CreatedAt"] = "CREATED AT",
        ["CreatedSince"] = "CREATED",
        ["Digest"] = "DIGEST",
        ["ID"] = "IMAGE ID",
        ["Repository"] = "REPOSITORY",
        ["SharedSize"] = "SHARED SIZE",
        ["Size"] = "SIZE",
        ["Tag"] = "TAG",
        ["UniqueSize"] = "UNIQUE SIZE",
        ["VirtualSize"] = "VIRTUAL SIZE",
    };

    public static IEnumerable<JsonObject> Rows(JsonNode image, bool truncate, bool digests, DateTimeOffset now)
    {
        var repoTags = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var repoDigests = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var reference in image.Strings("RepoTags"))
        {
            if (reference == "<none>:<none>")
                continue;
            var colon = reference.LastIndexOf(':');
            if (colon <= reference.LastIndexOf('/'))
                continue;
            Add(repoTags, Familiar(reference[..colon]), reference[(colon + 1)..]);
        }
        foreach (var reference in image.Strings("RepoDigests"))
        {
            if (reference == "<none>@<none>")
                continue;
            var at = reference.IndexOf('@');
            if (at <= 0)
                continue;
            Add(repoDigests, Familiar(reference[..at]), reference[(at + 1)..]);
        }
        foreach (var (repo, tags) in repoTags)
        {
            var repoDigestList = repoDigests.GetValueOrDefault(repo) ?? [];
            repoDigests.Remove(repo);
            foreach (var tag in tags)
            {
                if (!digests || repoDigestList.Count == 0)
                {
                    yield return Row(image, repo, tag, "<none>", truncate, now);
                    continue;
                }
                foreach (var digest in repoDigestList)
                    yield return Row(image, repo, tag, digest, truncate, now);
            }
        }
        foreach (var (repo, list) in repoDigests)
        {
            if (digests)
            {
                foreach (var digest in list)
                    yield return Row(image, repo, "<none>", digest, truncate, now);
            }
            else
            {
                yield return Row(image, repo, "<none>", "<none>", truncate, now);
            }
        }
        if (repoTags.Count == 0 && repoDigests.Count == 0)
            yield return Row(image, "<none>", "<none>", "<none>", truncate, now);
    }

    private static void Add(SortedDictionary<string, List<string>> map, string key, string value)
    {
        if (!map.TryGetValue(key, out var list))
            map[key] = list = [];
        list.Add(value);
    }

    /// <summary>docker.io/library/busybox → busybox; docker.io/me/app → me/app.</summary>
    public static string Familiar(string repository)
    {
        if (repository.StartsWith("docker.io/library/", StringComparison.Ordinal))
            return repository["docker.io/library/".Length..];
        if (repository.StartsWith("docker.io/", StringComparison.Ordinal))
            return repository["docker.io/".Length..];
        return repository;
    }

    private static JsonObject Row(JsonNode image, string repo, string tag, string digest, bool truncate, DateTimeOffset now)
    {
        var created = DateTimeOffset.FromUnixTimeSeconds(image.Long("Created"));
        var id = image.Str("Id");
        var containers = image.Long("Containers");
        var shared = image.Long("SharedSize");
        var size = image.Long("Size");
        return new JsonObject
        {
            ["Containers"] = containers == -1 ? "N/A" : containers.ToString(CultureInfo.InvariantCulture),
            ["CreatedAt"] = GoTime.UnixString(created),
            ["CreatedSince"] = HumanDuration.Ago(created, now),
            ["Digest"] = digest,
            ["ID"] = truncate ? IdFormat.Truncate(id) : id,
            ["Repository"] = repo,
            ["SharedSize"] = shared == -1 ? "N/A" : HumanUnits.HumanSize(shared),
            ["Size"] = HumanUnits.HumanSize(size),
            ["Tag"] = tag,
            ["UniqueSize"] = shared == -1 ? "N/A" : HumanUnits.HumanSize(size - shared),
            ["VirtualSize"] = HumanUnits.HumanSize(image.Obj("VirtualSize") is null && image["VirtualSize"] is not null ? image.Long("VirtualSize") : size, 4),
        };
    }
}
