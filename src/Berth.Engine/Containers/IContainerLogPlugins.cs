using Berth.Engine.Runtime.Shim;

namespace Berth.Engine.Containers;

/// <summary>
/// What the container lifecycle needs from logging plugins (implemented by <c>Plugins.LogDriver.LogPlugins</c>): check
/// at create that the driver is a plugin that logs, start the plugin's logging before the container starts, and stop
/// it once the container has ended (its shim has written its last line).
/// </summary>
public interface IContainerLogPlugins
{
    /// <summary>At create: throws Docker's "error looking up logging plugin" unless <paramref name="driver"/> is a logging plugin.</summary>
    Task RequireAsync(string driver, CancellationToken cancellationToken);

    /// <summary>At start, before the shim: makes the FIFO and has the plugin read it (LogDriver.StartLogging).</summary>
    Task<LogPluginStart> StartAsync(ContainerRecord container, CancellationToken cancellationToken);

    /// <summary>Once the container ended or its start failed: LogDriver.StopLogging, and the FIFO goes. Idempotent; never throws.</summary>
    Task StopAsync(ContainerRecord container);
}

/// <summary>
/// A started plugin log: where the shim writes (<see cref="Forward"/>), whether the plugin gives the lines back
/// (then no dual-logging cache is kept, as dockerd keeps none), and the daemon's own end of the FIFO, held until the
/// shim has opened its end so that the plugin never sees the FIFO without a writer.
/// </summary>
public sealed record LogPluginStart(LogForwardSpec Forward, bool ReadLogs, IDisposable DaemonEnd);
