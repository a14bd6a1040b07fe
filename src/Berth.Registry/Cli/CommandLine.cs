using System.Collections;
using Berth.Oci.Errors;
using Berth.Registry.Configuration;
using Berth.Registry.Gc;
using Berth.Registry.Http;

namespace Berth.Registry.Cli;

/// <summary>
/// <c>berth-registry serve|gc [--config FILE] [--addr HOST:PORT] [--root DIR] [--KEY VALUE | --KEY=VALUE]...</c>;
/// any config key (e.g. <c>--auth.htpasswd.path</c>) can be given as a flag.
/// </summary>
public static class CommandLine
{
    private const string Usage = """
        usage: berth-registry serve [--config FILE] [--addr HOST:PORT] [--root DIR] [--<config.key> VALUE]...
               berth-registry gc [--config FILE] [--root DIR] [--dry-run] [--delete-untagged] [--min-age DURATION]
               berth-registry version
        Every config key (e.g. http.addr, storage.delete.enabled, auth.htpasswd.path) can also be given as a flag
        (--http.addr VALUE) or an environment variable (BERTH_REGISTRY_HTTP_ADDR).
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        string command = args[0];
        var (keys, switches) = Parse(args.AsSpan(1), command == "gc" ? ["dry-run", "delete-untagged"] : []);
        switch (command)
        {
            case "serve":
                return await RegistryServer.RunAsync(Settings(keys, Environment.GetEnvironmentVariables()));
            case "gc":
            {
                var gcKeys = new Dictionary<string, string>(keys, StringComparer.OrdinalIgnoreCase);
                string? minAge = gcKeys.Remove("min-age", out var age) ? age : null;
                var settings = Settings(gcKeys, Environment.GetEnvironmentVariables());
                var options = new GcOptions(switches.Contains("dry-run"), switches.Contains("delete-untagged"),
                    minAge is null ? TimeSpan.FromMinutes(10) : RegistrySettings.ParseDuration("min-age", minAge));
                var report = await GarbageCollector.RunAsync(new Storage.RegistryStorage(settings.Root), options, Console.Out, CancellationToken.None);
                Console.WriteLine(report);
                return 0;
            }
            case "version":
                Console.WriteLine($"berth-registry {typeof(CommandLine).Assembly.GetName().Version}");
                return 0;
            default:
                throw BerthException.Invalid($"unknown command \"{command}\"\n{Usage}");
        }
    }

    internal static RegistrySettings Settings(Dictionary<string, string> flags, IDictionary environment)
    {
        var keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? configPath = flags.GetValueOrDefault("config") ?? environment["BERTH_REGISTRY_CONFIG"] as string;
        if (configPath is not null)
        {
            string text;
            try { text = File.ReadAllText(configPath); }
            catch (IOException e) { throw BerthException.Invalid($"config {configPath}: {e.Message}"); }
            SettingsSource.Overlay(keys, SettingsSource.FromYaml(text, configPath));
        }
        var fromEnvironment = SettingsSource.FromEnvironment(environment);
        SettingsSource.Overlay(keys, fromEnvironment);
        var lenient = new HashSet<string>(fromEnvironment.Keys, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in flags)
        {
            if (key == "config") continue;
            string name = key switch { "addr" => "http.addr", "root" => "storage.filesystem.rootdirectory", _ => key };
            keys[name] = value;
            lenient.Remove(name);
        }
        return RegistrySettings.FromKeys(keys, lenient);
    }

    private static (Dictionary<string, string> Keys, HashSet<string> Switches) Parse(ReadOnlySpan<string> args, string[] knownSwitches)
    {
        var keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var switches = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                throw BerthException.Invalid($"unexpected argument \"{arg}\"\n{Usage}");
            string key = arg[2..];
            if (knownSwitches.Contains(key)) { switches.Add(key); continue; }
            int eq = key.IndexOf('=');
            if (eq > 0) { keys[key[..eq]] = key[(eq + 1)..]; continue; }
            if (i + 1 >= args.Length) throw BerthException.Invalid($"flag --{key} needs a value");
            keys[key] = args[++i];
        }
        return (keys, switches);
    }
}
