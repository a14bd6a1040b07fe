using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Logs;
using Berth.Oci.Errors;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// GET /containers/{id}/logs: the json-file log (or a forwarding driver's cache), framed like attach output (raw for TTY
/// containers); for a logging plugin that reads its lines back, what its ReadLogs streams.
/// </summary>
public static class LogEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        app.MapGet("/containers/{id}/logs", async context =>
        {
            var container = services.Containers.Get((string)context.Request.RouteValues["id"]!);
            if (LogSettings.IsPlugin(container.HostConfig.LogConfig?.Type))
            {
                var pluginQuery = ReadQuery(context, withUntil: true);
                using var entries = await services.LogPlugins.ReadAsync(container, pluginQuery, context.RequestAborted);
                if (entries is not null)
                {
                    await WritePluginLogsAsync(context, entries, pluginQuery, new LogOutputFormat(Query.Bool(context, "timestamps"), container.Config.Tty));
                    return;
                }
                // A plugin that cannot read its lines back: the dual-logging cache, as for syslog and the others.
            }
            LogSettings.RequireReadable(container.HostConfig.LogConfig);
            var query = ReadQuery(context, withUntil: true);
            bool timestamps = Query.Bool(context, "timestamps");
            bool tty = container.Config.Tty;

            context.Response.ContentType = Hijack.ContentTypeFor(context, tty);
            await context.Response.StartAsync(context.RequestAborted);
            try
            {
                await JsonFileLogReader.WriteFramesAsync(services.Containers.LogPathOf(container), query, new LogOutputFormat(timestamps, tty),
                    context.Response.Body, () => services.Containers.Store.TryGet(container.Id)?.State.Running == true, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // the client stopped following
            }
        });
    }

    private static async Task WritePluginLogsAsync(HttpContext context, HttpResponseMessage entries, LogQuery query, LogOutputFormat format)
    {
        context.Response.ContentType = Hijack.ContentTypeFor(context, format.Tty);
        await context.Response.StartAsync(context.RequestAborted);
        try
        {
            await using var stream = await entries.Content.ReadAsStreamAsync(context.RequestAborted);
            await PluginLogWriter.WriteFramesAsync(stream, query, format, context.Response.Body, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // the client stopped following
        }
    }

    /// <summary>
    /// The streams, since, until, tail and follow of a logs request, with dockerd's errors; service and task logs
    /// take no <c>until</c>.
    /// </summary>
    internal static LogQuery ReadQuery(HttpContext context, bool withUntil)
    {
        bool stdout = Query.Bool(context, "stdout"), stderr = Query.Bool(context, "stderr");
        if (!stdout && !stderr) throw BerthException.Invalid("Bad parameters: you must choose at least one stream");
        var now = DateTimeOffset.UtcNow;
        string? tailText = Query.String(context, "tail");
        int? tail = string.IsNullOrEmpty(tailText) || tailText == "all" ? null
            : int.TryParse(tailText, out var n) ? n : throw BerthException.Invalid($"invalid tail value: {tailText}");
        // until=0 is no limit, as dockerd reads it (Docker.DotNet sends it for "no until": Testcontainers' GetLogsAsync).
        string? until = withUntil ? Query.String(context, "until") : null;
        if (until == "0") until = null;
        return new LogQuery(stdout, stderr, ToTime(EventEndpoints.ParseTime(Query.String(context, "since"), now)),
            ToTime(EventEndpoints.ParseTime(until, now)), tail, Query.Bool(context, "follow"));
    }

    private static DateTimeOffset? ToTime(long? nanos) => nanos is { } n ? DateTimeOffset.UnixEpoch.AddTicks(n / 100) : null;
}
