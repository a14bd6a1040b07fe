using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Client.Streams;
using Berth.Cli.Output;

namespace Berth.Cli.Build;

/// <summary>
/// Prints a build's JSON messages as docker's client does (jsonmessage.DisplayJSONMessagesStream): each "stream" text
/// as it comes, pull progress of FROM and --pull like a pull's, "aux" messages kept (the image ID) and not printed.
/// An error message ends the build with its text and its code (a failed RUN's exit status; 1 when none is given).
/// </summary>
public sealed class BuildMessagePrinter(TextWriter output, bool terminal)
{
    private readonly ProgressRenderer _progress = new(output, terminal);

    /// <summary>The built image's ID from the daemon's aux message (none is sent with q=1).</summary>
    public string? ImageId { get; private set; }

    public async Task PrintAsync(Stream messages, CancellationToken cancellation)
    {
        await foreach (var node in JsonMessageReader.ReadAllAsync(messages, cancellation))
        {
            if (node is not JsonObject message)
                continue;
            if (message.TryGetPropertyValue("aux", out var aux))
            {
                if (aux.Str("ID") is { Length: > 0 } id)
                    ImageId = id;
                continue;
            }
            if (JsonMessageReader.ErrorOf(message) is { } error)
                throw new BuildFailedException(error.Message, error.Code is not 0 ? (int)error.Code : 1);
            if (!terminal && message.Str("stream") is { Length: > 0 } stream)
            {
                // The renderer leaves stream text out off a terminal (a pull has none); a build is mostly that.
                output.Write(stream);
                output.Flush();
                continue;
            }
            _progress.Render(message);
        }
        output.Flush();
    }
}

/// <summary>The daemon reported the build failed; docker exits with the code it gave.</summary>
public sealed class BuildFailedException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
