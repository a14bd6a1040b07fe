using Berth.Daemon.Hosting;
using Berth.Engine.Containers;
using Berth.Engine.Logs;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// The <c>logs=1</c> of an attach (docker-py's <c>attach(logs=True)</c>, websocket consoles): the container's whole
/// log so far, in the attach's own framing and without timestamps, sent before the live stream as dockerd sends it.
/// It is read where <c>docker logs</c> reads it: a logging plugin's ReadLogs when it has one, else the log file.
/// </summary>
public static class AttachLogs
{
    /// <summary>
    /// Refused before the connection is taken over, so the client gets dockerd's status and message; a plugin's
    /// log is known to be readable only once the plugin is asked.
    /// </summary>
    public static void RequireReadable(ContainerRecord container)
    {
        if (!LogSettings.IsPlugin(container.HostConfig.LogConfig?.Type)) LogSettings.RequireReadable(container.HostConfig.LogConfig);
    }

    public static async Task WriteAsync(DaemonServices services, ContainerRecord container, bool stdout, bool stderr, bool raw, Stream output,
        CancellationToken cancellationToken)
    {
        if (!stdout && !stderr) return;
        var query = new LogQuery(stdout, stderr, Since: null, Until: null, Tail: null, Follow: false);
        var format = new LogOutputFormat(Timestamps: false, Tty: raw);
        if (LogSettings.IsPlugin(container.HostConfig.LogConfig?.Type))
        {
            using var entries = await services.LogPlugins.ReadAsync(container, query, cancellationToken);
            if (entries is not null)
            {
                await using var stream = await entries.Content.ReadAsStreamAsync(cancellationToken);
                await PluginLogWriter.WriteFramesAsync(stream, query, format, output, cancellationToken);
                return;
            }
            LogSettings.RequireReadable(container.HostConfig.LogConfig); // no ReadLogs: the dual-logging cache, unless disabled
        }
        await JsonFileLogReader.WriteFramesAsync(services.Containers.LogPathOf(container), query, format, output, () => false, cancellationToken);
    }
}
