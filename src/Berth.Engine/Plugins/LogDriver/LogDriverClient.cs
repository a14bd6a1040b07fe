namespace Berth.Engine.Plugins.LogDriver;

/// <summary>
/// The LogDriver methods of one plugin. StartLogging hands the plugin the FIFO it reads the container's lines from,
/// StopLogging tells it the container stopped (it reads the FIFO to its end before it answers), Capabilities says
/// whether it can give the lines back (ReadLogs), which then streams them as framed entries (<see cref="Logs.LogEntryFrames"/>).
/// </summary>
public sealed class LogDriverClient(PluginEndpoint plugin, PluginClient client)
{
    public const string Capability = "LogDriver";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    private static LogDriverJsonContext Json => LogDriverJsonContext.Default;

    public PluginEndpoint Plugin => plugin;

    public Task StartLoggingAsync(string file, LogDriverInfo info, CancellationToken ct) =>
        client.CallAsync(plugin.Address, "LogDriver.StartLogging", new StartLoggingRequest { File = file, Info = info },
            Json.StartLoggingRequest, Json.LogDriverErrAnswer, Timeout, ct);

    public Task StopLoggingAsync(string file, CancellationToken ct) =>
        client.CallAsync(plugin.Address, "LogDriver.StopLogging", new StopLoggingRequest { File = file },
            Json.StopLoggingRequest, Json.LogDriverErrAnswer, Timeout, ct);

    /// <summary>Whether the plugin serves ReadLogs; false for a plugin that predates Capabilities or fails it (as dockerd takes it).</summary>
    public async Task<bool> CanReadLogsAsync(CancellationToken ct)
    {
        try
        {
            var answer = await client.CallAsync(plugin.Address, "LogDriver.Capabilities", new EmptyPluginRequest(),
                Json.EmptyPluginRequest, Json.LogDriverCapabilitiesAnswer, Timeout, ct);
            return answer.Cap?.ReadLogs == true;
        }
        catch (PluginCallException)
        {
            return false;
        }
    }

    /// <summary>The plugin's stream of the container's entries; the caller disposes the response.</summary>
    public Task<HttpResponseMessage> ReadLogsAsync(LogDriverInfo info, LogDriverReadConfig config, CancellationToken ct) =>
        client.StreamAsync(plugin.Address, "LogDriver.ReadLogs", new ReadLogsRequest { Info = info, Config = config }, Json.ReadLogsRequest, Timeout, ct);
}
