namespace Berth.Compose.Loading;

/// <summary>Which compose files to load when -f is not given.</summary>
public static class ConfigFileDiscovery
{
    private static readonly string[] BaseNames = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

    /// <summary>
    /// The first default-named file in <paramref name="startDirectory"/> or the nearest parent that has one, then the
    /// override file beside it from the same family (compose.* or docker-compose.*), the same extension preferred.
    /// </summary>
    public static IReadOnlyList<string> Discover(string startDirectory)
        => TryDiscover(startDirectory) ?? throw new ComposeException("no configuration file provided: not found");

    /// <summary>As <see cref="Discover"/>, or null when no directory on the way up has a compose file.</summary>
    public static IReadOnlyList<string>? TryDiscover(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            foreach (var name in BaseNames)
            {
                var file = Path.Combine(directory.FullName, name);
                if (!File.Exists(file))
                    continue;
                var overrideFile = OverrideCandidates(name)
                    .Select(candidate => Path.Combine(directory.FullName, candidate))
                    .FirstOrDefault(File.Exists);
                return overrideFile is null ? [file] : [file, overrideFile];
            }
        }
        return null;
    }

    private static IEnumerable<string> OverrideCandidates(string baseName)
    {
        var extension = Path.GetExtension(baseName);
        var family = Path.GetFileNameWithoutExtension(baseName);
        var otherExtension = extension == ".yaml" ? ".yml" : ".yaml";
        return [$"{family}.override{extension}", $"{family}.override{otherExtension}"];
    }
}
