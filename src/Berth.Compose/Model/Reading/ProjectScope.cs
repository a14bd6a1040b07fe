namespace Berth.Compose.Model.Reading;

/// <summary>What a service's reader checks its references against: the context and the project's top-level keys.</summary>
internal sealed record ProjectScope(
    ModelReaderContext Context,
    IReadOnlySet<string> ServiceNames,
    IReadOnlySet<string> NetworkKeys,
    IReadOnlySet<string> VolumeKeys,
    IReadOnlySet<string> SecretKeys,
    IReadOnlySet<string> ConfigKeys)
{
    /// <summary>A host path from the file made absolute: relative to the project directory, "~" from HOME.</summary>
    public string HostPath(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            var home = Context.Lookup("HOME") ?? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
            path = home + path[1..];
        }
        return Path.GetFullPath(path, Context.WorkingDirectory);
    }
}
