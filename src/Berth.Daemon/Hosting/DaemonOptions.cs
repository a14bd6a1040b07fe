using System.Text.Json.Nodes;
using Berth.Oci.Errors;

namespace Berth.Daemon.Hosting;

/// <summary>
/// berthd's settings: command-line flags over <c>daemon.json</c> (Docker's key names) over defaults.
/// </summary>
public sealed partial class DaemonOptions
{
    public List<string> Hosts { get; } = [];
    public string DataRoot { get; set; } = "/var/lib/berth";
    public string ExecRoot { get; set; } = "/run/berth";
    public string PidFile { get; set; } = "";
    public string ConfigFile { get; set; } = "/etc/berth/daemon.json";
    public bool Debug { get; set; }
    public string Runtime { get; set; } = "";
    public string ShimPath { get; set; } = "";

    /// <summary>
    /// berthd's own --plugin-dir (repeatable): where legacy plugins (sockets and spec files) are looked for, instead of
    /// Docker's three directories; for daemons that must not share the host's plugins (tests running side by side).
    /// </summary>
    public List<string> PluginDirs { get; } = [];
    public bool TlsVerify { get; set; }
    public string? TlsCaCert { get; set; }
    public string? TlsCert { get; set; }
    public string? TlsKey { get; set; }
    public List<string> Labels { get; } = [];
    public List<string> RegistryMirrors { get; } = [];
    public List<string> InsecureRegistries { get; } = [];
    public int MaxConcurrentDownloads { get; set; } = 3;
    public int MaxConcurrentUploads { get; set; } = 5;
    public bool Init { get; set; }
    public string InitPath { get; set; } = "";
    public string LogDriver { get; set; } = "json-file";
    public Dictionary<string, string> LogOpts { get; } = new(StringComparer.Ordinal);
    public List<string> Dns { get; } = [];
    public List<string> DnsSearch { get; } = [];
    public List<string> DnsOptions { get; } = [];
    public Dictionary<string, (long Soft, long Hard)> DefaultUlimits { get; } = new(StringComparer.Ordinal);
    public long DefaultShmSize { get; set; } = 64L * 1024 * 1024;
    public bool NoNewPrivileges { get; set; }
    public List<(string Base, int Size)> DefaultAddressPools { get; } = [];

    /// <summary>"log-level" (-l): debug, info, warn, error or fatal; "debug" true overrides it with debug.</summary>
    public string LogLevel { get; set; } = "info";
    public string DefaultIpcMode { get; set; } = "private";
    public string DefaultCgroupnsMode { get; set; } = "host";

    /// <summary>"seccomp-profile": a file's path, "unconfined", or empty / "builtin" for Docker's default profile.</summary>
    public string SeccompProfile { get; set; } = "";

    /// <summary>"cgroup-parent": the cgroup containers that name none are placed under.</summary>
    public string CgroupParent { get; set; } = "/berth";

    /// <summary>"group" (-G): the group given the unix sockets; dockerd's default "docker", if the host has that group.</summary>
    public string SocketGroup { get; set; } = "docker";
    public bool SocketGroupGiven { get; set; }
    public bool LiveRestore { get; set; }
    public bool Experimental { get; set; }
    public int ShutdownTimeout { get; set; } = 15;
    public int MaxDownloadAttempts { get; set; } = 5;
    public Dictionary<string, bool> Features { get; } = new(StringComparer.Ordinal);

    /// <summary>The command line berthd was started with: a SIGHUP reads daemon.json again under the same flags.</summary>
    public IReadOnlyList<string> Arguments { get; private set; } = [];

    /// <summary>
    /// daemon.json "runtimes" and --add-runtime, by name ("runc" is reserved: berthd's own). A name in both comes from the
    /// file, as dockerd merges them.
    /// </summary>
    public Dictionary<string, Berth.Engine.Runtime.OciRuntime> Runtimes { get; } = new(StringComparer.Ordinal);

    /// <summary>daemon.json "default-runtime" (--default-runtime): empty for runc.</summary>
    public string DefaultRuntime { get; set; } = "";

    private readonly HashSet<string> _flagRuntimes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _fileValues = new(StringComparer.Ordinal);

    /// <summary>daemon.json keys berthd does not act on: the daemon warns about each at start instead of staying silent.</summary>
    public List<string> IgnoredKeys { get; } = [];

    public const string DefaultSocket = "unix:///run/berth/berth.sock";

    public static DaemonOptions Parse(string[] args)
    {
        var options = new DaemonOptions { Arguments = [.. args] };
        var flags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            string name, value;
            int eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0) { name = arg[2..eq]; value = arg[(eq + 1)..]; }
            else if (arg == "-D" || (arg.StartsWith("--", StringComparison.Ordinal) && BooleanFlags.Contains(arg[2..]))) { name = arg.TrimStart('-'); value = "true"; }
            else if (arg.StartsWith('-'))
            {
                name = arg.TrimStart('-');
                if (i + 1 >= args.Length) throw BerthException.Invalid($"flag needs an argument: {arg}");
                value = args[++i];
            }
            else throw BerthException.Invalid($"berthd takes no arguments, got \"{arg}\"");
            name = name switch
            {
                "H" => "host", "D" => "debug", "p" => "pidfile", "g" => "data-root", "graph" => "data-root", "l" => "log-level",
                "s" => "storage-driver", "G" => "group", "b" => "bridge", _ => name,
            };
            if (!flags.TryGetValue(name, out var list)) flags[name] = list = [];
            list.Add(value);
        }
        if (flags.TryGetValue("config-file", out var configFile)) options.ConfigFile = configFile[^1];
        options.ApplyConfigFile(explicitly: flags.ContainsKey("config-file"));
        options.RefuseConflicts(flags);
        options.ValidateRuntimes(fromFile: true);
        foreach (var (name, values) in flags) options.Apply(name, values, fromFlag: true);
        options.ValidateRuntimes(fromFile: false);
        options.CheckDefaultBridgeIpv6();
        if (options.Hosts.Count == 0) options.Hosts.Add(DefaultSocket);
        return options;
    }

    private void ApplyConfigFile(bool explicitly)
    {
        if (!File.Exists(ConfigFile))
        {
            if (explicitly) throw BerthException.Invalid($"unable to configure the daemon: open {ConfigFile}: no such file or directory");
            return;
        }
        JsonObject config;
        try
        {
            string text = File.ReadAllText(ConfigFile);
            config = string.IsNullOrWhiteSpace(text) ? new JsonObject() : JsonNode.Parse(text)?.AsObject() ?? new JsonObject();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            throw BerthException.Invalid($"unable to configure the daemon with file {ConfigFile}: {e.Message}");
        }
        foreach (var (key, node) in config)
        {
            var values = node switch
            {
                JsonArray array => array.Select(v => v?.ToString() ?? "").ToList(),
                // Maps such as "log-opts" arrive as the flag's key=value pairs.
                JsonObject map => map.Select(pair => $"{pair.Key}={pair.Value}").ToList(),
                null => [],
                _ => [node.ToString()],
            };
            Apply(key, values, fromFlag: false);
            _fileValues[key] = string.Join(' ', values);
        }
        if (_unknownKeys.Count > 0)
            throw BerthException.Invalid($"unable to configure the daemon with file {ConfigFile}: the following directives don't match any configuration option: {string.Join(", ", _unknownKeys)}");
    }

    private void Apply(string name, List<string> values, bool fromFlag)
    {
        switch (name)
        {
            case "host" or "hosts":
                if (fromFlag) Hosts.Clear();
                Hosts.AddRange(values);
                break;
            case "data-root": DataRoot = values[^1]; break;
            case "exec-root": ExecRoot = values[^1]; break;
            case "pidfile": PidFile = values[^1]; break;
            case "debug": Debug = ParseBool(name, values[^1]); break;
            case "runtime": Runtime = values[^1]; break;
            case "add-runtime":
                foreach (string value in values) AddFlagRuntime(value);
                break;
            case "runtimes" when !fromFlag:
                foreach (string value in values) AddFileRuntime(value);
                break;
            case "default-runtime": DefaultRuntime = values[^1]; break;
            case "shim": ShimPath = values[^1]; break;
            case "plugin-dir": PluginDirs.AddRange(values); break;
            case "tlsverify": TlsVerify = ParseBool(name, values[^1]); break;
            case "tlscacert": TlsCaCert = values[^1]; break;
            case "tlscert": TlsCert = values[^1]; break;
            case "tlskey": TlsKey = values[^1]; break;
            case "label" or "labels":
                foreach (string label in values)
                    if (label.IndexOf('=') <= 0) throw BerthException.Invalid($"{(fromFlag ? "" : ValidationFailed)}bad attribute format: {label}");
                Labels.AddRange(values);
                break;
            case "registry-mirror" or "registry-mirrors": RegistryMirrors.AddRange(values); break;
            case "insecure-registry" or "insecure-registries": InsecureRegistries.AddRange(values); break;
            case "max-concurrent-downloads": MaxConcurrentDownloads = PositiveInt(name, values[^1]); break;
            case "max-concurrent-uploads": MaxConcurrentUploads = PositiveInt(name, values[^1]); break;
            case "init": Init = ParseBool(name, values[^1]); break;
            case "init-path": InitPath = values[^1]; break;
            case "log-driver": LogDriver = values[^1]; break;
            case "log-opt" or "log-opts":
                foreach (string pair in values)
                {
                    int eq = pair.IndexOf('=');
                    if (eq <= 0) throw BerthException.Invalid($"invalid argument \"{pair}\" for \"--log-opt\" flag: invalid key value pair format: {pair}");
                    LogOpts[pair[..eq]] = pair[(eq + 1)..];
                }
                break;
            case "dns": Dns.AddRange(values); break;
            case "dns-search": DnsSearch.AddRange(values); break;
            case "dns-opt" or "dns-opts": DnsOptions.AddRange(values); break;
            case "default-ulimit" or "default-ulimits":
                foreach (string value in values) AddDefaultUlimit(value);
                break;
            case "default-shm-size":
                DefaultShmSize = GoText.GoUnits.TryParseRamInBytes(values[^1], out long shm) && shm > 0
                    ? shm
                    : throw BerthException.Invalid($"invalid value for default-shm-size: \"{values[^1]}\"");
                break;
            case "no-new-privileges": NoNewPrivileges = ParseBool(name, values[^1]); break;
            case "default-address-pool" or "default-address-pools":
                foreach (string value in values) DefaultAddressPools.Add(ParseAddressPool(value));
                break;
            case "config-file": break;
            case var _ when ApplyEngineOption(name, values): break;
            case var _ when ApplyBridgeOption(name, values): break;
            default:
                // A daemon.json written for dockerd may hold keys berthd does not act on: it starts, and warns about
                // each (see IgnoredKeys); a key dockerd does not know either, or an unknown flag, is a mistake.
                if (fromFlag) throw BerthException.Invalid($"unknown flag: --{name}");
                if (!DockerdOnlyKeys.Contains(name)) _unknownKeys.Add(name);
                else if (RefusedWhenSet(name, values) is { } refusal) throw BerthException.Invalid(refusal);
                else IgnoredKeys.Add(name);
                break;
        }
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw BerthException.Invalid($"invalid value for {name}: \"{value}\" is not a positive integer");

    /// <summary>
    /// A default ulimit as the flag gives it (<c>nofile=1024:2048</c>, or one number for both) or as daemon.json does
    /// (<c>nofile={"Name":"nofile","Soft":1024,"Hard":2048}</c>, after the map's key=value flattening).
    /// </summary>
    private void AddDefaultUlimit(string text)
    {
        int eq = text.IndexOf('=');
        if (eq <= 0) throw BerthException.Invalid($"invalid ulimit argument: {text}");
        string name = text[..eq], value = text[(eq + 1)..];
        if (value.StartsWith('{'))
        {
            var limit = JsonNode.Parse(value)?.AsObject() ?? [];
            long soft = limit["Soft"]?.GetValue<long>() ?? 0, hard = limit["Hard"]?.GetValue<long>() ?? soft;
            DefaultUlimits[name] = (soft, hard);
            return;
        }
        string[] parts = value.Split(':');
        if (parts.Length > 2 || !long.TryParse(parts[0], out long softLimit) || !long.TryParse(parts[^1], out long hardLimit))
            throw BerthException.Invalid($"invalid ulimit argument: {text}");
        if (softLimit > hardLimit) throw BerthException.Invalid($"ulimit soft limit must be less than or equal to hard limit: {softLimit} > {hardLimit}");
        DefaultUlimits[name] = (softLimit, hardLimit);
    }

    /// <summary>A default address pool: <c>base=10.10.0.0/16,size=24</c> from the flag, or daemon.json's {"base":...,"size":...}.</summary>
    private static (string Base, int Size) ParseAddressPool(string text)
    {
        string? poolBase = null;
        int size = 0;
        if (text.StartsWith('{'))
        {
            var pool = JsonNode.Parse(text)?.AsObject() ?? [];
            poolBase = pool["base"]?.GetValue<string>();
            size = pool["size"]?.GetValue<int>() ?? 0;
        }
        else
        {
            foreach (string field in text.Split(','))
            {
                var (key, value) = field.IndexOf('=') is > 0 and var eq ? (field[..eq], field[(eq + 1)..]) : (field, "");
                if (key == "base") poolBase = value;
                else if (key == "size" && int.TryParse(value, out int n)) size = n;
                else throw BerthException.Invalid($"invalid default address pool: {text}");
            }
        }
        if (string.IsNullOrEmpty(poolBase) || size <= 0) throw BerthException.Invalid($"invalid default address pool: {text}: base and size are required");
        return (poolBase, size);
    }
}
