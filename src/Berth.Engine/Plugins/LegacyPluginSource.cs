using System.Collections.Concurrent;
using System.Text.Json;

namespace Berth.Engine.Plugins;

/// <summary>
/// Docker's legacy plugins: processes on the host found by name in its plugin directories — a socket
/// <c>NAME.sock</c> or <c>NAME/NAME.sock</c> in /run/docker/plugins, else a spec file <c>NAME.spec</c> (a URL) or
/// <c>NAME.json</c> (<c>{"Name", "Addr"}</c>), directly or in <c>NAME/</c>, in /etc/docker/plugins then
/// /usr/lib/docker/plugins. Plugin.Activate tells what each implements; the answer is kept per address.
/// </summary>
/// <remarks>
/// A name that is in none of the directories is "not found" at once. dockerd instead retries for 15 s in case the
/// plugin is still starting; berthd does not, because nearly every such request is a typo or a plugin that is not
/// installed, and each would cost 15 s (a plugin that starts after berthd is found on the next request anyway).
/// A plugin whose file exists but that does not answer yet gets <see cref="PluginClient.ConnectRetry"/>.
/// </remarks>
public sealed class LegacyPluginSource(IReadOnlyList<string> socketDirs, IReadOnlyList<string> specDirs, PluginClient client) : IPluginSource
{
    private static readonly TimeSpan ActivateTimeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _activated = new(StringComparer.Ordinal);

    /// <summary>Docker's own directories.</summary>
    public static LegacyPluginSource Default(PluginClient client) =>
        new(["/run/docker/plugins"], ["/etc/docker/plugins", "/usr/lib/docker/plugins"], client);

    public async ValueTask<PluginEndpoint?> FindAsync(string name, string capability, CancellationToken ct)
    {
        if (Locate(name) is not { } address) return null;
        var implements = await ActivateAsync(address, ct);
        return implements.Contains(capability, StringComparer.Ordinal)
            ? new PluginEndpoint { Name = name, Address = address, Implements = implements }
            : null;
    }

    /// <summary>Every plugin in the directories implementing <paramref name="capability"/>; those that don't answer are left out.</summary>
    public async ValueTask<IReadOnlyList<PluginEndpoint>> ListAsync(string capability, CancellationToken ct)
    {
        var found = new List<PluginEndpoint>();
        foreach (var name in Names())
        {
            try
            {
                if (await FindAsync(name, capability, ct) is { } plugin) found.Add(plugin);
            }
            catch (PluginCallException)
            {
            }
        }
        return found;
    }

    /// <summary>The address of the plugin called <paramref name="name"/>: a socket path or a URL; null when there is none.</summary>
    public string? Locate(string name)
    {
        if (!IsPluginName(name)) return null;
        foreach (var dir in socketDirs)
            foreach (var path in Candidates(dir, name, ".sock"))
                if (IsPluginFile(path)) return path;
        foreach (var dir in specDirs)
        {
            foreach (var path in Candidates(dir, name, ".spec"))
                if (File.Exists(path)) return AddressOfUrl(File.ReadAllText(path).Trim(), path);
            foreach (var path in Candidates(dir, name, ".json"))
                if (File.Exists(path)) return AddressOfJson(path);
        }
        return null;
    }

    /// <summary>The names of every plugin in the directories, sockets first, each once.</summary>
    public IReadOnlyList<string> Names()
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string name)
        {
            if (IsPluginName(name) && seen.Add(name)) names.Add(name);
        }
        foreach (var dir in socketDirs.Where(Directory.Exists))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(entry);
                if (name.EndsWith(".sock", StringComparison.Ordinal) && IsPluginFile(entry)) Add(name[..^".sock".Length]);
                else if (Directory.Exists(entry) && IsPluginFile(Path.Combine(entry, name + ".sock"))) Add(name);
            }
        }
        foreach (var dir in specDirs.Where(Directory.Exists))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir).Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(entry);
                if (name.EndsWith(".spec", StringComparison.Ordinal) || name.EndsWith(".json", StringComparison.Ordinal)) Add(name[..^5]);
                else if (Directory.Exists(entry) && (File.Exists(Path.Combine(entry, name + ".spec")) || File.Exists(Path.Combine(entry, name + ".json")))) Add(name);
            }
        }
        return names;
    }

    private async ValueTask<IReadOnlyList<string>> ActivateAsync(string address, CancellationToken ct)
    {
        if (_activated.TryGetValue(address, out var known)) return known;
        var answer = await client.CallAsync(address, "Plugin.Activate", new EmptyPluginRequest(),
            PluginJsonContext.Default.EmptyPluginRequest, PluginJsonContext.Default.ActivateAnswer, ActivateTimeout, ct);
        IReadOnlyList<string> implements = answer.Implements ?? [];
        _activated[address] = implements;
        return implements;
    }

    private static IEnumerable<string> Candidates(string dir, string name, string extension) =>
        [Path.Combine(dir, name + extension), Path.Combine(dir, name, name + extension)];

    // Names become file names: nothing that could leave the directory (managed plugins' "user/name:tag" never match).
    private static bool IsPluginName(string name) =>
        name.Length > 0 && name[0] != '.' && !name.Contains('/') && !name.Contains('\0');

    // Any file of that name (Docker checks for a socket; a stale regular file then fails to connect, named in the error).
    private static bool IsPluginFile(string path) => File.Exists(path);

    /// <summary>A spec file's URL: unix:///path, tcp://host:port (plain http, as Docker treats it) or http(s)://…</summary>
    private static string AddressOfUrl(string url, string file)
    {
        if (url.StartsWith("unix://", StringComparison.Ordinal)) return url["unix://".Length..];
        if (url.StartsWith("tcp://", StringComparison.Ordinal)) return "http://" + url["tcp://".Length..];
        if (url.StartsWith("http://", StringComparison.Ordinal) || url.StartsWith("https://", StringComparison.Ordinal)) return url;
        throw new PluginCallException($"Unknown protocol in {file}: {url}");
    }

    private static string AddressOfJson(string file)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("Addr", out var addr) && addr.ValueKind == JsonValueKind.String)
                return AddressOfUrl(addr.GetString()!.Trim(), file);
        }
        catch (JsonException e)
        {
            throw new PluginCallException($"invalid plugin spec {file}: {e.Message}", e);
        }
        throw new PluginCallException($"invalid plugin spec {file}: no Addr");
    }
}
