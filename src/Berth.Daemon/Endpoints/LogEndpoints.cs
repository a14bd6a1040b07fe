using System.Buffers.Binary;
using System.Text;
using Berth.Daemon.Hosting;
using Berth.Daemon.Http;
using Berth.Engine.Logs;
using Berth.Oci.Errors;

namespace Berth.Daemon.Endpoints;

/// <summary>GET /containers/{id}/logs: the json-file log, framed like attach output (raw for TTY containers).</summary>
public static class LogEndpoints
{
    public static void Map(IEndpointRouteBuilder app, DaemonServices services)
    {
        app.MapGet("/containers/{id}/logs", async context =>
        {
            var container = services.Containers.Get((string)context.Request.RouteValues["id"]!);
            LogSettings.RequireReadable(container.HostConfig.LogConfig);
            bool stdout = Query.Bool(context, "stdout"), stderr = Query.Bool(context, "stderr");
            if (!stdout && !stderr) throw BerthException.Invalid("Bad parameters: you must choose at least one stream");
            var now = DateTimeOffset.UtcNow;
            string? tailText = Query.String(context, "tail");
            int? tail = string.IsNullOrEmpty(tailText) || tailText == "all" ? null
                : int.TryParse(tailText, out var n) ? n : throw BerthException.Invalid($"invalid tail value: {tailText}");
            var query = new LogQuery(stdout, stderr, ToTime(EventEndpoints.ParseTime(Query.String(context, "since"), now)),
                ToTime(EventEndpoints.ParseTime(Query.String(context, "until"), now)), tail, Query.Bool(context, "follow"));
            bool timestamps = Query.Bool(context, "timestamps");
            bool tty = container.Config.Tty;

            context.Response.ContentType = Hijack.ContentTypeFor(context, tty);
            await context.Response.StartAsync(context.RequestAborted);
            var body = context.Response.Body;
            var buffer = new MemoryStream();
            try
            {
                await foreach (var entry in JsonFileLogReader.ReadAsync(services.Containers.LogPathOf(container), query,
                                   () => services.Containers.Store.TryGet(container.Id)?.State.Running == true, context.RequestAborted))
                {
                    Append(buffer, entry, timestamps, tty);
                    if (buffer.Length >= 1 << 16 || query.Follow)
                    {
                        await body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
                        if (query.Follow) await body.FlushAsync(context.RequestAborted);
                        buffer.SetLength(0);
                    }
                }
                if (buffer.Length > 0) await body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // the client stopped following
            }
        });
    }

    private static DateTimeOffset? ToTime(long? nanos) => nanos is { } n ? DateTimeOffset.UnixEpoch.AddTicks(n / 100) : null;

    private static void Append(MemoryStream buffer, LogEntry entry, bool timestamps, bool tty)
    {
        byte[] prefix = timestamps ? Encoding.ASCII.GetBytes(entry.TimeText.PadTimestamp() + " ") : [];
        if (!tty)
        {
            Span<byte> header = stackalloc byte[8];
            header[0] = entry.IsStderr ? (byte)2 : (byte)1;
            BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)(prefix.Length + entry.Text.Length));
            buffer.Write(header);
        }
        buffer.Write(prefix);
        buffer.Write(entry.Text.Span);
    }

    /// <summary>Docker's log timestamps keep nine fractional digits (RFC3339NanoFixed), so columns line up.</summary>
    private static string PadTimestamp(this string rfc3339)
    {
        int dot = rfc3339.IndexOf('.');
        string core = dot < 0 ? rfc3339[..^1] : rfc3339[..dot];
        string fraction = dot < 0 ? "" : rfc3339[(dot + 1)..^1];
        return $"{core}.{fraction.PadRight(9, '0')}Z";
    }
}
