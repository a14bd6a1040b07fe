using System.Text.Json.Nodes;
using Berth.Oci.Errors;

namespace Berth.Daemon.Hosting;

/// <summary>
/// berthd's settings: command-line flags over <c>daemon.json</c> (Docker's key names) over defaults.
/// </summary>
public sealed class DaemonOptions
{
    public List<string> Hosts { get; } = [];
    public string DataRoot { get; set; } = "/var/lib/berth";
    public string ExecRoot { get; set; } = "/run/berth";
    public string PidFile { get; set; } = "";
    public string ConfigFile { get; set; } = "/etc/berth/daemon.json";
    public bool Debug { get; set; }
    public string Runtime { get; set; } = "";
    public string ShimPath { get; set; } = "";
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

    public const string DefaultSocket = "unix:///run/berth/berth.sock";

    public static DaemonOptions Parse(string[] args)
    {
        var options = new DaemonOptions();
        var flags = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            string name, value;
            int eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0) { name = arg[2..eq]; value = arg[(eq + 1)..]; }
            else if (arg is "--debug" or "-D" or "--tlsverify" or "--init") { name = arg.TrimStart('-'); value = "true"; }
            else if (arg.StartsWith('-'))
            {
                name = arg.TrimStart('-');
                if (i + 1 >= args.Length) throw BerthException.Invalid($"flag needs an argument: {arg}");
                value = args[++i];
            }
            else throw BerthException.Invalid($"berthd takes no arguments, got \"{arg}\"");
            name = name switch { "H" => "host", "D" => "debug", "p" => "pidfile", "g" => "data-root", "graph" => "data-root", _ => name };
            if (!flags.TryGetValue(name, out var list)) flags[name] = list = [];
            list.Add(value);
        }
        if (flags.TryGetValue("config-file", out var configFile)) options.ConfigFile = configFile[^1];
        options.ApplyConfigFile(explicitly: flags.ContainsKey("config-file"));
        foreach (var (name, values) in flags) options.Apply(name, values, fromFlag: true);
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
        }
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
            case "debug": Debug = values[^1] is "true" or "1"; break;
            case "runtime": Runtime = values[^1]; break;
            case "shim": ShimPath = values[^1]; break;
            case "tlsverify": TlsVerify = values[^1] is "true" or "1"; break;
            case "tlscacert": TlsCaCert = values[^1]; break;
            case "tlscert": TlsCert = values[^1]; break;
            case "tlskey": TlsKey = values[^1]; break;
            case "label" or "labels": Labels.AddRange(values); break;
            case "registry-mirror" or "registry-mirrors": RegistryMirrors.AddRange(values); break;
            case "insecure-registry" or "insecure-registries": InsecureRegistries.AddRange(values); break;
            case "max-concurrent-downloads": MaxConcurrentDownloads = PositiveInt(name, values[^1]); break;
            case "max-concurrent-uploads": MaxConcurrentUploads = PositiveInt(name, values[^1]); break;
            case "init": Init = values[^1] is "true" or "1"; break;
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
            case "config-file": break;
            default:
                // Keys of Docker's daemon.json that later subsystems read are accepted silently in the file;
                // an unknown flag on the command line is a mistake worth stopping for.
                if (fromFlag) throw BerthException.Invalid($"unknown flag: --{name}");
                break;
        }
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw BerthException.Invalid($"invalid value for {name}: \"{value}\" is not a positive integer");
}
