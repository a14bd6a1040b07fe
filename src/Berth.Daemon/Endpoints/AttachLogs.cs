using Berth.Daemon.Hosting;
using Berth.Engine.Containers;
using Berth.Engine.Logs;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// The <c>logs=1</c> of an attach (docker-py's <c>attach(logs=True)</c>, websocket consoles): the container's whole
/// log so far, in the attach's own framing and without timestamps, sent before the live stream as dockerd sends it.
/// </summary>
public static class AttachLogs
{
    /// <summary>Refused before the connection is taken over, so the client gets dockerd's status and message.</summary>
    public static void RequireReadable(ContainerRecord container) => LogSettings.RequireReadable(container.HostConfig.LogConfig);

    public static Task WriteAsync(DaemonServices services, ContainerRecord container, bool stdout, bool stderr, bool raw, Stream output,
        CancellationToken cancellationToken)
    {
        if (!stdout && !stderr) return Task.CompletedTask;
        var query = new LogQuery(stdout, stderr, Since: null, Until: null, Tail: null, Follow: false);
        return JsonFileLogReader.WriteFramesAsync(services.Containers.LogPathOf(container), query, new LogOutputFormat(Timestamps: false, Tty: raw),
            output, () => false, cancellationToken);
    }
}
