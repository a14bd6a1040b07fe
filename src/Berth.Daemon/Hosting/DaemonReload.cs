using System.Globalization;
using Berth.Oci.Errors;

namespace Berth.Daemon.Hosting;

/// <summary>
/// SIGHUP: daemon.json is read again (under the flags berthd was started with) and the settings dockerd reloads take
/// effect without a restart: debug and log-level, labels, live-restore, shutdown-timeout, the registry settings, the
/// runtimes, authorization plugins and features. A file that does not parse changes nothing. Announced with dockerd's "reload" event.
/// </summary>
public sealed class DaemonReload(DaemonServices services, ILogger logger)
{
    private readonly Lock _lock = new();

    public void Reload()
    {
        lock (_lock)
        {
            DaemonOptions fresh;
            Berth.Engine.Runtime.OciRuntimes runtimes;
            try
            {
                fresh = DaemonOptions.Parse([.. services.Options.Arguments]);
                runtimes = new Berth.Engine.Runtime.OciRuntimes(services.EngineOptions.RuntimePath,
                    fresh.Runtimes.Values.Select(r => r with { Path = RuntimeLookup.InPath(r.Path) }), fresh.DefaultRuntime);
            }
            catch (Exception e) when (e is BerthException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                logger.LogError("Error reconfiguring the daemon: {Message}", e.Message);
                return;
            }
            Apply(services.Options, fresh);
            services.EngineOptions.Runtimes = runtimes;
            services.Registry.Reconfigure(services.RegistryOptionsOf(fresh));
            services.Authorization.Configure(services.Options.AuthorizationPlugins);
            DaemonLogLevel.Set(services.Options);
            var attributes = Attributes(services.Options);
            services.Events.Publish("daemon", "reload", services.Id, attributes);
            logger.LogInformation("Reloaded configuration: {Settings}", string.Join(", ", attributes.Select(a => $"{a.Key}={a.Value}")));
        }
    }

    /// <summary>The reloadable settings of <paramref name="fresh"/> copied into the daemon's own options.</summary>
    private static void Apply(DaemonOptions live, DaemonOptions fresh)
    {
        live.Debug = fresh.Debug;
        live.LogLevel = fresh.LogLevel;
        Replace(live.Labels, fresh.Labels);
        live.LiveRestore = fresh.LiveRestore;
        live.ShutdownTimeout = fresh.ShutdownTimeout;
        live.MaxConcurrentDownloads = fresh.MaxConcurrentDownloads;
        live.MaxConcurrentUploads = fresh.MaxConcurrentUploads;
        live.MaxDownloadAttempts = fresh.MaxDownloadAttempts;
        Replace(live.RegistryMirrors, fresh.RegistryMirrors);
        Replace(live.InsecureRegistries, fresh.InsecureRegistries);
        live.Runtimes.Clear();
        foreach (var (name, runtime) in fresh.Runtimes) live.Runtimes[name] = runtime;
        live.DefaultRuntime = fresh.DefaultRuntime;
        Replace(live.AuthorizationPlugins, fresh.AuthorizationPlugins);
        live.Features.Clear();
        foreach (var (name, enabled) in fresh.Features) live.Features[name] = enabled;
    }

    private static void Replace(List<string> live, List<string> fresh)
    {
        live.Clear();
        live.AddRange(fresh);
    }

    /// <summary>The event's attributes: the daemon's settings after the reload, in dockerd's names and forms.</summary>
    private Dictionary<string, string> Attributes(DaemonOptions options)
    {
        var runtimes = services.EngineOptions.Runtimes;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["debug"] = Bool(options.Debug),
            ["default-cgroupns-mode"] = options.DefaultCgroupnsMode,
            ["default-ipc-mode"] = options.DefaultIpcMode,
            ["default-runtime"] = runtimes.DefaultName,
            ["default-shm-size"] = options.DefaultShmSize.ToString(CultureInfo.InvariantCulture),
            ["features"] = $"map[{string.Join(' ', options.Features.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}:{Bool(f.Value)}"))}]",
            ["insecure-registries"] = List(options.InsecureRegistries),
            ["labels"] = List(options.Labels),
            ["live-restore"] = Bool(options.LiveRestore),
            ["max-concurrent-downloads"] = options.MaxConcurrentDownloads.ToString(CultureInfo.InvariantCulture),
            ["max-concurrent-uploads"] = options.MaxConcurrentUploads.ToString(CultureInfo.InvariantCulture),
            ["max-download-attempts"] = options.MaxDownloadAttempts.ToString(CultureInfo.InvariantCulture),
            ["name"] = Environment.MachineName,
            ["registry-mirrors"] = List(options.RegistryMirrors),
            ["runtimes"] = string.Join(' ', runtimes.All.Select(r => $"{r.Name}:{r.Path}")),
            ["shutdown-timeout"] = options.ShutdownTimeout.ToString(CultureInfo.InvariantCulture),
        };
    }

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>A list as dockerd's attributes print it: JSON.</summary>
    private static string List(List<string> values) =>
        "[" + string.Join(",", values.Select(v => $"\"{System.Text.Json.JsonEncodedText.Encode(v)}\"")) + "]";
}
