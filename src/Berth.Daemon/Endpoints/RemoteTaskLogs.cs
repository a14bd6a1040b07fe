using System.Buffers.Binary;
using System.Text;
using Berth.Api;
using Berth.Daemon.Hosting;

namespace Berth.Daemon.Endpoints;

/// <summary>
/// The logs of a task that runs on a worker node: read from the node's daemon (GET /containers/{id}/logs through the
/// node's tunnel, always with timestamps) and written on as this daemon's own frames are, the task's IDs placed after
/// the time stamp when details are asked for. A node that cannot be reached adds nothing.
/// </summary>
internal static class RemoteTaskLogs
{
    private const int HeaderSize = 8;

    public static async Task CopyAsync(HttpContext context, DaemonServices services, SwarmTask task, bool timestamps, string? details, Stream output)
    {
        if (services.Swarm.Orchestrator.NodeClients?.Invoke(task.NodeID ?? "") is not { } client) return;
        var request = context.Request.Query;
        var query = new StringBuilder("?timestamps=1");
        foreach (string name in new[] { "stdout", "stderr", "follow", "tail", "since" })
            if (request.TryGetValue(name, out var value)) query.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value.ToString()));
        string path = $"/containers/{task.Status.ContainerStatus!.ContainerID}/logs{query}";
        try
        {
            using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            if (!response.IsSuccessStatusCode) return;
            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
            if (response.Content.Headers.ContentType?.MediaType == "application/vnd.docker.raw-stream")
            {
                await body.CopyToAsync(output, context.RequestAborted);
                return;
            }
            byte[] prefix = details is null ? [] : Encoding.UTF8.GetBytes(details + " ");
            var header = new byte[HeaderSize];
            while (await ReadExactlyOrEndAsync(body, header, context.RequestAborted))
            {
                var payload = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4))];
                if (!await ReadExactlyOrEndAsync(body, payload, context.RequestAborted)) return;
                await output.WriteAsync(Rewrite(header[0], payload, timestamps, prefix), context.RequestAborted);
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            // The node went away mid-stream: its task's lines end there.
        }
    }

    /// <summary>One frame as this daemon writes it: the time stamp kept only when asked for, the details after it.</summary>
    private static byte[] Rewrite(byte stream, byte[] payload, bool timestamps, byte[] prefix)
    {
        int space = Array.IndexOf(payload, (byte)' ');
        var stamp = space < 0 ? [] : payload.AsSpan(0, space + 1);
        var text = payload.AsSpan(stamp.Length);
        int length = (timestamps ? stamp.Length : 0) + prefix.Length + text.Length;
        var frame = new byte[HeaderSize + length];
        frame[0] = stream;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)length);
        var rest = frame.AsSpan(HeaderSize);
        if (timestamps)
        {
            stamp.CopyTo(rest);
            rest = rest[stamp.Length..];
        }
        prefix.CopyTo(rest);
        text.CopyTo(rest[prefix.Length..]);
        return frame;
    }

    private static async Task<bool> ReadExactlyOrEndAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }
}
