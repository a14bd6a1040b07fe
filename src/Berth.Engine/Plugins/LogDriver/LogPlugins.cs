using Berth.Engine.Containers;
using Berth.Engine.Logs;
using Berth.Engine.Runtime.Shim;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Plugins.LogDriver;

/// <summary>
/// Containers logging to a plugin (<c>--log-driver NAME</c>, NAME a managed plugin of type docker.logdriver/1.0 or a
/// legacy plugin implementing LogDriver). The shim is the writer, as for every other driver, so the lines keep flowing
/// while berthd restarts: at start the daemon makes a FIFO, calls StartLogging with it, and hands its path to the shim,
/// which writes Docker's framed LogEntry messages into it; once the container ended (the shim wrote its last line and
/// closed its end) the daemon calls StopLogging and removes the FIFO.
/// </summary>
/// <remarks>
/// Each container has one FIFO, named by its ID, so that a daemon started since still finds it to stop. A managed
/// plugin runs in its own root: its FIFO is made there, in <c>/run/docker/logging/</c>, the path dockerd gives its
/// plugins, and the plugin is told that path; a legacy plugin runs on the host and reads
/// <c>&lt;exec-root&gt;/logging/&lt;id&gt;</c>. A plugin that restarts must open the FIFOs it was given again (dockerd
/// asks the same of plugins): the shim holds its end open for reading and writing, so nothing written meanwhile is lost.
/// </remarks>
public sealed class LogPlugins(PluginRegistry registry, string execRoot, ILogger logger) : IContainerLogPlugins
{
    /// <summary>Where dockerd puts logging FIFOs, as plugins see them.</summary>
    public const string FifoDirInPlugin = "/run/docker/logging";

    public async Task RequireAsync(string driver, CancellationToken cancellationToken) => await FindAsync(driver, cancellationToken);

    public async Task<LogPluginStart> StartAsync(ContainerRecord container, CancellationToken cancellationToken)
    {
        var client = await ClientForStartAsync(container, cancellationToken);
        var (file, hostPath) = FifoOf(client.Plugin, container.Id);
        LogFifo.Create(hostPath);
        var daemonEnd = LogFifo.OpenDaemonEnd(hostPath);
        try
        {
            bool readLogs = await client.CanReadLogsAsync(cancellationToken);
            try
            {
                await client.StartLoggingAsync(file, InfoOf(container), cancellationToken);
            }
            catch (PluginCallException e)
            {
                throw LogSettings.Failed($"error creating logger: {e.Message}");
            }
            var forward = new LogForwardSpec("plugin", "fifo", "", 0, hostPath, "", "", 0, "", "", -1, false, []);
            return new LogPluginStart(forward, readLogs, daemonEnd);
        }
        catch
        {
            daemonEnd.Dispose();
            LogFifo.Remove(hostPath);
            throw;
        }
    }

    public async Task StopAsync(ContainerRecord container)
    {
        string driver = container.HostConfig.LogConfig?.Type ?? "";
        PluginEndpoint? plugin = null;
        try
        {
            plugin = await registry.FindAsync(driver, LogDriverClient.Capability, CancellationToken.None);
        }
        catch (PluginCallException e)
        {
            logger.LogWarning("container {Id}: logging plugin {Plugin} not reachable to stop logging: {Message}", container.Id[..12], driver, e.Message);
        }
        if (plugin is null)
        {
            LogFifo.Remove(LegacyFifoOf(container.Id)); // a managed plugin's went with its root
            return;
        }
        var (file, hostPath) = FifoOf(plugin, container.Id);
        if (!File.Exists(hostPath)) return; // stopped already (or never started)
        try
        {
            await new LogDriverClient(plugin, registry.Client).StopLoggingAsync(file, CancellationToken.None);
        }
        catch (PluginCallException e)
        {
            logger.LogWarning("container {Id}: LogDriver.StopLogging of {Plugin} failed: {Message}", container.Id[..12], driver, e.Message);
        }
        LogFifo.Remove(hostPath);
    }

    /// <summary>
    /// The container's lines as its plugin gives them back (LogDriver.ReadLogs), or null when the plugin cannot
    /// (then <c>docker logs</c> reads the dual-logging cache, as dockerd does).
    /// </summary>
    public async Task<HttpResponseMessage?> ReadAsync(ContainerRecord container, LogQuery query, CancellationToken cancellationToken)
    {
        var client = new LogDriverClient(await FindAsync(container.HostConfig.LogConfig?.Type ?? "", cancellationToken), registry.Client);
        if (!await client.CanReadLogsAsync(cancellationToken)) return null;
        var config = new LogDriverReadConfig
        {
            Since = query.Since ?? DateTimeOffset.MinValue,
            Until = query.Until ?? DateTimeOffset.MinValue,
            Tail = query.Tail ?? -1,
            Follow = query.Follow,
        };
        try
        {
            return await client.ReadLogsAsync(InfoOf(container), config, cancellationToken);
        }
        catch (PluginCallException e)
        {
            throw BerthException.Internal($"error getting log reader: {e.Message}");
        }
    }

    /// <summary>The names of the logging plugins there are now.</summary>
    public async Task<IReadOnlyList<string>> NamesAsync(CancellationToken cancellationToken) =>
        [.. (await registry.ListAsync(LogDriverClient.Capability, cancellationToken)).Select(p => p.Name)];

    private async Task<PluginEndpoint> FindAsync(string driver, CancellationToken cancellationToken)
    {
        PluginEndpoint? plugin;
        try
        {
            plugin = await registry.FindAsync(driver, LogDriverClient.Capability, cancellationToken);
        }
        catch (PluginCallException e)
        {
            throw BerthException.Invalid($"error looking up logging plugin {driver}: {e.Message}");
        }
        return plugin ?? throw BerthException.Invalid($"error looking up logging plugin {driver}: plugin \"{driver}\" not found");
    }

    private async Task<LogDriverClient> ClientForStartAsync(ContainerRecord container, CancellationToken cancellationToken)
    {
        try
        {
            return new LogDriverClient(await FindAsync(container.HostConfig.LogConfig?.Type ?? "", cancellationToken), registry.Client);
        }
        catch (BerthException e)
        {
            throw LogSettings.Failed(e.Message); // at start, as dockerd words it: "failed to initialize logging driver: ..."
        }
    }

    /// <summary>The path the plugin is told, and the same FIFO's path on the host.</summary>
    private (string File, string HostPath) FifoOf(PluginEndpoint plugin, string containerId)
    {
        if (!plugin.Managed)
        {
            string path = LegacyFifoOf(containerId);
            return (path, path);
        }
        string file = FifoDirInPlugin + "/" + containerId;
        return (file, plugin.HostPath(file));
    }

    private string LegacyFifoOf(string containerId) => Path.Combine(execRoot, "logging", containerId);

    /// <summary>dockerd's logger.Info for the container.</summary>
    internal static LogDriverInfo InfoOf(ContainerRecord container) => new()
    {
        Config = container.HostConfig.LogConfig?.Config ?? [],
        ContainerID = container.Id,
        ContainerName = "/" + container.Name.TrimStart('/'),
        ContainerEntrypoint = container.Path,
        ContainerArgs = container.Args,
        ContainerImageID = container.ImageId,
        ContainerImageName = container.Config.Image ?? "",
        ContainerCreated = container.Created,
        ContainerEnv = container.Config.Env ?? [],
        ContainerLabels = container.Config.Labels ?? [],
    };
}
