namespace Berth.Daemon.Hosting;

/// <summary>
/// A runtime's path as daemon.json may give it ("crun"): looked up in PATH once at start, since the shim spawns it
/// without a search (posix_spawn). A name found nowhere stays as it is, and its containers fail to start with the error.
/// </summary>
internal static class RuntimeLookup
{
    public static string InPath(string path)
    {
        if (path.Contains('/')) return path;
        string search = Environment.GetEnvironmentVariable("PATH") is { Length: > 0 } value ? value : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (string dir in search.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, path);
            if (File.Exists(candidate)) return candidate;
        }
        return path;
    }
}
