using System.Text.Json;
using System.Threading.Channels;
using Berth.Api;

namespace Berth.Daemon.Http;

/// <summary>
/// A JSON-message progress response (pull, push), written the way dockerd writes it: nothing is sent until the first
/// message, so a failure before it (manifest unknown, access denied) is an ordinary HTTP error with its status code,
/// while a failure after it ends the stream with an <c>errorDetail</c> line.
/// </summary>
public sealed class ProgressStream : IProgress<JsonMessage>
{
    private readonly Channel<JsonMessage> _messages = Channel.CreateUnbounded<JsonMessage>(new UnboundedChannelOptions { SingleReader = true });

    // Reporters call this from the download threads under their own lock; the channel hands messages to the writer.
    public void Report(JsonMessage value) => _messages.Writer.TryWrite(value);

    /// <summary>Runs <paramref name="work"/>, streaming what it reports to the response.</summary>
    public static async Task RunAsync(HttpContext context, Func<IProgress<JsonMessage>, CancellationToken, Task> work)
    {
        var stream = new ProgressStream();
        var cancellationToken = context.RequestAborted;
        var task = Task.Run(async () =>
        {
            try
            {
                await work(stream, cancellationToken);
            }
            finally
            {
                stream._messages.Writer.Complete();
            }
        }, CancellationToken.None);

        bool started = false;
        var reader = stream._messages.Reader;
        await foreach (var message in reader.ReadAllAsync(CancellationToken.None))
        {
            if (cancellationToken.IsCancellationRequested) continue; // the client left: drain until the work stops
            if (!started)
            {
                Start(context);
                started = true;
            }
            await WriteLineAsync(context, message, flush: !reader.TryPeek(out _), cancellationToken);
        }

        try
        {
            await task;
        }
        catch (Exception e) when (started && !cancellationToken.IsCancellationRequested)
        {
            await WriteLineAsync(context, JsonMessage.Failure(SystemErrorText.Of(e)), flush: true, cancellationToken);
            return;
        }
        if (!started) Start(context);
    }

    private static void Start(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
    }

    private static async Task WriteLineAsync(HttpContext context, JsonMessage message, bool flush, CancellationToken cancellationToken)
    {
        try
        {
            await Json.WriteLineAsync(context.Response.Body, message, ApiJson.Context.JsonMessage, Json.CrLf, cancellationToken);
            if (flush) await context.Response.Body.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client hung up; the work sees the same cancellation and stops.
        }
    }
}
