using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Client.Streams;

namespace Berth.Cli.Output;

/// <summary>
/// Prints the daemon's JSON message streams (pull, load, import) as plain lines, as docker does when its output
/// is not a terminal: "ID: status" or the stream text. An error message ends the stream with an exception.
/// </summary>
public static class JsonMessagePrinter
{
    public static async Task<List<JsonNode>> PrintAsync(Stream messages, TextWriter output, bool quiet, CancellationToken cancellation)
    {
        var all = new List<JsonNode>();
        await foreach (var message in JsonMessageReader.ReadAllAsync(messages, cancellation))
        {
            all.Add(message);
            if (JsonMessageReader.ErrorOf(message) is { } error)
                throw new JsonMessageException(error.Message);
            if (quiet)
                continue;
            if (message.Str("stream") is { Length: > 0 } stream)
            {
                output.Write(stream);
                output.Flush();
                continue;
            }
            if (message.Obj("progressDetail") is { Count: > 0 })
                continue;
            var status = message.Str("status");
            if (status.Length == 0)
                continue;
            var id = message.Str("id");
            output.Write(id.Length > 0 ? $"{id}: {status}\n" : $"{status}\n");
            output.Flush();
        }
        return all;
    }
}

/// <summary>An error carried inside a JSON message stream (after the daemon already answered 200).</summary>
public sealed class JsonMessageException(string message) : Exception(message);
