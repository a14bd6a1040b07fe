using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Client.Streams;

namespace Berth.Compose.Execution;

/// <summary>Reads a daemon's JSON message stream (pull, push, build) to its end; an error message in it is thrown.</summary>
internal static class DaemonStream
{
    /// <summary>Forwards each message to the progress, and returns the image ID a build reports (aux.ID), if any.</summary>
    public static async Task<string?> DrainAsync(Stream stream, IComposeProgress progress, string kind, string name, CancellationToken ct)
    {
        string? imageId = null;
        await using (stream)
        {
            await foreach (var message in JsonMessageReader.ReadAllAsync(stream, ct))
            {
                progress.DaemonMessage(kind, name, message);
                if (JsonMessageReader.ErrorOf(message) is { } error)
                    throw new ComposeException(error.Message);
                if (message.Obj("aux").Str("ID") is { Length: > 0 } id)
                    imageId = id;
            }
        }
        return imageId;
    }
}
