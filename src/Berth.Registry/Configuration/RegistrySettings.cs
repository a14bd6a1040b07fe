using System.Globalization;
using Berth.GoText;
using Berth.Oci.Errors;

namespace Berth.Registry.Configuration;

/// <summary>An access rule of token auth: accounts matching <see cref="Account"/> get <see cref="Actions"/> on repositories matching <see cref="Name"/>.</summary>
public sealed record AccessRule(string Account, string Name, IReadOnlyList<string> Actions);

/// <summary>
/// Everything berth-registry can be told, read from the flat keys of <see cref="SettingsSource"/>. The key names follow
/// docker-registry's config.yml where it has one, so a config written for it mostly works here.
/// </summary>
public sealed class RegistrySettings
{
    public string Addr { get; init; } = "127.0.0.1:5000";
    public string Root { get; init; } = "/var/lib/berth-registry";
    public bool DeleteEnabled { get; init; } = true;
    public bool ReadOnly { get; init; }
    public TimeSpan UploadPurgeAge { get; init; } = TimeSpan.FromDays(7);
    public TimeSpan UploadPurgeInterval { get; init; } = TimeSpan.FromHours(1);
    public long MaxManifestBytes { get; init; } = 4 << 20;
    public string? TlsCertificate { get; init; }
    public string? TlsKey { get; init; }
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public bool AccessLog { get; init; } = true;
    public bool Metrics { get; init; } = true;

    public string? HtpasswdPath { get; init; }
    public string HtpasswdRealm { get; init; } = "berth-registry";

    public bool TokenAuth { get; init; }
    public string? TokenRealm { get; init; }
    public string TokenService { get; init; } = "berth-registry";
    public string TokenIssuer { get; init; } = "berth-registry";
    public string? TokenKeyPath { get; init; }
    public string? TokenUsersPath { get; init; }
    public TimeSpan TokenExpiration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a refresh token (the identity token <c>docker login</c> stores) stays good.</summary>
    public TimeSpan TokenRefreshExpiration { get; init; } = TimeSpan.FromDays(30);
    public IReadOnlyList<AccessRule> TokenAccess { get; init; } = [];

    public string? ProxyRemoteUrl { get; init; }
    public string? ProxyUsername { get; init; }
    public string? ProxyPassword { get; init; }
    public TimeSpan ProxyTagTtl { get; init; } = TimeSpan.Zero;

    /// <param name="lenient">Keys that may be unknown without error (those from the environment, where unrelated
    /// BERTH_REGISTRY_* variables can exist).</param>
    public static RegistrySettings FromKeys(IReadOnlyDictionary<string, string> keys, IReadOnlySet<string>? lenient = null)
    {
        var reader = new Reader(keys, lenient ?? new HashSet<string>());
        var settings = new RegistrySettings
        {
            Addr = reader.String("http.addr") ?? "127.0.0.1:5000",
            Root = reader.String("storage.filesystem.rootdirectory") ?? "/var/lib/berth-registry",
            DeleteEnabled = reader.Bool("storage.delete.enabled") ?? true,
            ReadOnly = reader.Bool("storage.maintenance.readonly.enabled") ?? false,
            UploadPurgeAge = reader.Duration("storage.maintenance.uploadpurging.age") ?? TimeSpan.FromDays(7),
            UploadPurgeInterval = reader.Duration("storage.maintenance.uploadpurging.interval") ?? TimeSpan.FromHours(1),
            MaxManifestBytes = reader.Long("storage.manifests.maxsize") ?? 4 << 20,
            TlsCertificate = reader.String("http.tls.certificate"),
            TlsKey = reader.String("http.tls.key"),
            DrainTimeout = reader.Duration("http.draintimeout") ?? TimeSpan.FromSeconds(10),
            AccessLog = !(reader.Bool("log.accesslog.disabled") ?? false),
            Metrics = reader.Bool("http.metrics.enabled") ?? true,
            HtpasswdPath = reader.String("auth.htpasswd.path"),
            HtpasswdRealm = reader.String("auth.htpasswd.realm") ?? "berth-registry",
            TokenAuth = reader.Bool("auth.token.enabled") ?? reader.HasPrefix("auth.token."),
            TokenRealm = reader.String("auth.token.realm"),
            TokenService = reader.String("auth.token.service") ?? "berth-registry",
            TokenIssuer = reader.String("auth.token.issuer") ?? "berth-registry",
            TokenKeyPath = reader.String("auth.token.key"),
            TokenUsersPath = reader.String("auth.token.users"),
            TokenExpiration = reader.Duration("auth.token.expiration") ?? TimeSpan.FromMinutes(5),
            TokenRefreshExpiration = reader.Duration("auth.token.refreshexpiration") ?? TimeSpan.FromDays(30),
            TokenAccess = reader.AccessRules("auth.token.access"),
            ProxyRemoteUrl = reader.String("proxy.remoteurl"),
            ProxyUsername = reader.String("proxy.username"),
            ProxyPassword = reader.String("proxy.password"),
            ProxyTagTtl = reader.Duration("proxy.ttl") ?? TimeSpan.Zero,
        };
        reader.RejectUnknown();
        if ((settings.TlsCertificate is null) != (settings.TlsKey is null))
            throw BerthException.Invalid("config http.tls: both certificate and key are needed");
        if (settings.HtpasswdPath is not null && settings.TokenAuth)
            throw BerthException.Invalid("config auth: choose one of htpasswd and token");
        return settings;
    }

    public bool IsProxy => ProxyRemoteUrl is not null;

    /// <summary>
    /// A duration as docker-registry's config writes it, in Go's form ("300ms", "10s", "1h30m", "168h"). Negative ones
    /// are refused: every duration here is an age or a wait, which a negative value would only break.
    /// </summary>
    public static TimeSpan ParseDuration(string key, string text) =>
        GoDuration.TryParse(text, out var duration, out _) && duration >= TimeSpan.Zero
            ? duration
            : throw BerthException.Invalid($"config {key}: \"{text}\" is not a duration like 30s, 5m or 168h");

    /// <summary>Reads keys and remembers which were used, so a misspelt key is an error instead of silently ignored.</summary>
    private sealed class Reader(IReadOnlyDictionary<string, string> keys, IReadOnlySet<string> lenient)
    {
        private static readonly string[] Ignored = ["version", "log.level", "log.formatter", "http.secret", "http.headers", "storage.cache", "health", "storage.filesystem.maxthreads"];
        private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

        public string? String(string key)
        {
            _used.Add(key);
            return keys.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
        }

        public bool HasPrefix(string prefix) => keys.Keys.Any(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

        public bool? Bool(string key) => String(key) switch
        {
            null => null,
            var v when bool.TryParse(v, out bool b) => b,
            var v => throw BerthException.Invalid($"config {key}: \"{v}\" is not true or false"),
        };

        public long? Long(string key) => String(key) switch
        {
            null => null,
            var v when long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out long n) => n,
            var v => throw BerthException.Invalid($"config {key}: \"{v}\" is not a whole number"),
        };

        public TimeSpan? Duration(string key) => String(key) is { } v ? ParseDuration(key, v) : null;

        public IReadOnlyList<AccessRule> AccessRules(string prefix)
        {
            var rules = new List<AccessRule>();
            for (int i = 0; ; i++)
            {
                string item = $"{prefix}.{i}";
                if (!HasPrefix(item + ".")) break;
                var actions = new List<string>();
                for (int j = 0; String($"{item}.actions.{j}") is { } action; j++) actions.Add(action);
                // "actions: pull,push" written as one scalar is accepted too.
                if (String($"{item}.actions") is { } joined) actions.AddRange(joined.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                rules.Add(new AccessRule(String($"{item}.account") ?? "*", String($"{item}.name") ?? "*", actions));
            }
            return rules;
        }

        public void RejectUnknown()
        {
            foreach (var key in keys.Keys)
            {
                if (_used.Contains(key) || lenient.Contains(key)) continue;
                if (key.StartsWith("auth.token.access.", StringComparison.OrdinalIgnoreCase)) continue;
                if (Ignored.Any(i => key.Equals(i, StringComparison.OrdinalIgnoreCase) || key.StartsWith(i + ".", StringComparison.OrdinalIgnoreCase))) continue;
                throw BerthException.Invalid($"config {key}: unknown setting");
            }
        }
    }
}
