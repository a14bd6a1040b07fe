using System.Text;
using System.Text.Json.Nodes;
using Berth.Client;

namespace Berth.Cli.Registry;

/// <summary>
/// The docker CLI's config.json (<c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>), shared with the
/// docker CLI: <c>auths</c> (base64 "user:password" per server), <c>credsStore</c> and <c>credHelpers</c>. Keys this
/// program does not know are kept as they are when the file is written back.
/// </summary>
public sealed class DockerConfigFile
{
    private readonly JsonObject _root;

    private DockerConfigFile(string path, JsonObject root)
    {
        Path = path;
        _root = root;
    }

    public string Path { get; }

    /// <summary>The helper every registry uses unless <see cref="HelperFor"/> names another (<c>credsStore</c>).</summary>
    public string? CredsStore => _root["credsStore"] is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0 ? s : null;

    /// <summary>The context <c>context use</c> chose (<c>currentContext</c>); null for the default context, which docker leaves unset.</summary>
    public string? CurrentContext
    {
        get => _root["currentContext"] is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0 ? s : null;
        set
        {
            if (string.IsNullOrEmpty(value) || value == Berth.Client.Contexts.DockerContext.DefaultName)
                _root.Remove("currentContext");
            else
                _root["currentContext"] = value;
        }
    }

    /// <summary>Where the config lives: --config, then $DOCKER_CONFIG, then ~/.docker.</summary>
    public static string DirectoryFor(string? configFlag, Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(configFlag)) return configFlag;
        if (environment("DOCKER_CONFIG") is { Length: > 0 } fromEnv) return fromEnv;
        string home = environment("HOME") is { Length: > 0 } h ? h : System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        return System.IO.Path.Combine(home, ".docker");
    }

    public static DockerConfigFile Load(string directory)
    {
        string path = System.IO.Path.Combine(directory, "config.json");
        if (!File.Exists(path)) return new DockerConfigFile(path, []);
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            return new DockerConfigFile(path, bytes.Length == 0 ? [] : Json.Parse(bytes) as JsonObject ?? []);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new CliException($"loading config file: {path}: {e.Message}");
        }
    }

    /// <summary>The credential helper for <paramref name="server"/>: its <c>credHelpers</c> entry, else <c>credsStore</c>.</summary>
    public string? HelperFor(string server) =>
        _root["credHelpers"] is JsonObject helpers && helpers[server] is JsonValue v && v.TryGetValue(out string? name) && name.Length > 0
            ? name
            : CredsStore;

    /// <summary>The credentials stored in the file itself for <paramref name="server"/>, if any.</summary>
    public Credentials? GetAuth(string server)
    {
        if (_root["auths"] is not JsonObject auths || auths[server] is not JsonObject entry) return null;
        string? identityToken = entry["identitytoken"]?.GetValue<string>();
        if (entry["auth"] is JsonValue encoded && encoded.TryGetValue(out string? auth) && auth.Length > 0)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            }
            catch (FormatException)
            {
                throw new CliException($"invalid auth configuration file: the auth of {server} is not base64");
            }
            int colon = decoded.IndexOf(':');
            if (colon < 0) throw new CliException("invalid auth configuration file");
            return new Credentials(server, decoded[..colon], decoded[(colon + 1)..], identityToken);
        }
        return identityToken is null ? null : new Credentials(server, "", "", identityToken);
    }

    /// <summary>Docker's fallback: an entry whose key names the same host (<c>http://host:5000</c> for <c>host:5000</c>).</summary>
    public Credentials? GetAuthByHostname(string server)
    {
        if (_root["auths"] is not JsonObject auths) return null;
        string host = RegistryServer.Hostname(server);
        foreach (var (key, _) in auths)
            if (key != server && RegistryServer.Hostname(key) == host && GetAuth(key) is { } found) return found with { ServerAddress = server };
        return null;
    }

    /// <summary>Every server config.json's <c>auths</c> names.</summary>
    public IReadOnlyList<string> AuthServers => _root["auths"] is JsonObject auths ? auths.Select(pair => pair.Key).ToList() : [];

    /// <summary>Every server with a <c>credHelpers</c> entry of its own.</summary>
    public IReadOnlyList<string> HelperServers => _root["credHelpers"] is JsonObject helpers ? helpers.Select(pair => pair.Key).ToList() : [];

    public void SetAuth(Credentials credentials)
    {
        var entry = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Secret}")) };
        if (!string.IsNullOrEmpty(credentials.IdentityToken)) entry["identitytoken"] = credentials.IdentityToken;
        Auths()[credentials.ServerAddress] = entry;
    }

    /// <summary>An empty <c>auths</c> entry: what docker leaves when a helper holds the secret, so the server is listed.</summary>
    public void MarkStoredElsewhere(string server) => Auths()[server] = new JsonObject();

    /// <summary>Forgets <paramref name="server"/>; false when it was not there.</summary>
    public bool RemoveAuth(string server) => _root["auths"] is JsonObject auths && auths.Remove(server);

    public bool HasServer(string server) => _root["auths"] is JsonObject auths && auths.ContainsKey(server);

    /// <summary>Writes the file atomically, readable only by its owner (it holds secrets).</summary>
    public void Save()
    {
        string directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        string temp = Path + ".tmp-" + Environment.ProcessId;
        using (var file = File.Create(temp))
        using (var writer = new System.Text.Json.Utf8JsonWriter(file, new System.Text.Json.JsonWriterOptions
               {
                   Indented = true, IndentCharacter = '\t', IndentSize = 1,
                   Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
               }))
        {
            _root.WriteTo(writer);
        }
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, Path, overwrite: true);
    }

    private JsonObject Auths()
    {
        if (_root["auths"] is JsonObject auths) return auths;
        auths = [];
        _root["auths"] = auths;
        return auths;
    }
}

/// <summary>What is stored for one registry; <see cref="IdentityToken"/> replaces the password when a token server gave one.</summary>
public sealed record Credentials(string ServerAddress, string Username, string Secret, string? IdentityToken = null);
