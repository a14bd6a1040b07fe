using System.Runtime.InteropServices;
using Berth.Client;
using Berth.Client.Hijack;
using Berth.Client.Streams;
using Berth.Cli.Terminal;

namespace Berth.Cli.Containers;

/// <summary>
/// A foreground container as <c>run</c> and <c>start -a</c> drive it, in docker's order: attach (hijacked), register
/// the wait, start, then copy output (demultiplexed unless TTY) and stdin (half-closed at EOF), proxy signals,
/// keep the TTY size in step, and finally return the container's exit code.
/// </summary>
public sealed class AttachSession(CliContext context, string id, bool tty, bool stdin, bool stdout, bool stderr,
    string? detachKeys, bool sigProxy)
{
    private readonly byte[] _detachSequence = DetachKeys.Parse(detachKeys);

    /// <summary>Raised (from run) when start fails, so it can answer with docker's exit code 125.</summary>
    public sealed class StartFailedException(Exception inner) : Exception(inner.Message, inner);

    public async Task<int> RunAsync(Func<Task> start, string? waitCondition, bool autoRemove)
    {
        var client = context.Client;
        var cancellation = context.Cancellation;
        await using var connection = await client.AttachContainerAsync(id, stdin, stdout, stderr, logs: false, detachKeys, cancellation);
        using var wait = await client.WaitContainerAsync(id, waitCondition ?? (autoRemove ? "removed" : "next-exit"), cancellation);
        using var rawIn = tty && stdin ? RawMode.Enter(0) : null;
        try
        {
            await start();
        }
        catch (EngineApiException e)
        {
            throw new StartFailedException(e);
        }

        using var resize = tty ? StartResizing(client) : null;
        using var signals = sigProxy && !tty ? SignalRouting.Intercept(signal => ForwardSignal(client, signal)) : null;

        context.FlushOut();
        var output = PumpOutputAsync(connection, cancellation);
        var detached = new TaskCompletionSource();
        if (stdin)
            _ = Task.Run(() => PumpInputAsync(connection, detached, cancellation), CancellationToken.None);

        var finished = await Task.WhenAny(output, detached.Task);
        if (finished == detached.Task)
        {
            rawIn?.Dispose();
            return 0;
        }
        try
        {
            await output;
        }
        catch (IOException) when (!cancellation.IsCancellationRequested)
        {
            // The daemon dropped the stream; the exit status below still tells how the container ended.
        }
        rawIn?.Dispose();
        return (int)await wait.Result;
    }

    private async Task PumpOutputAsync(HijackedConnection connection, CancellationToken cancellation)
    {
        // The container's TTY setting decides the framing; daemons before API 1.42 label every stream "raw".
        if (!tty)
            await new MultiplexedStreamReader(connection.Stream).DemuxAsync(context.StdoutStream, context.StderrStream, cancellation);
        else
            await CopyFlushingAsync(connection.Stream, context.StdoutStream, cancellation);
    }

    private static async Task CopyFlushingAsync(Stream source, Stream destination, CancellationToken cancellation)
    {
        var buffer = new byte[32 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellation)) > 0)
        {
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellation);
            await destination.FlushAsync(cancellation);
        }
    }

    private async Task PumpInputAsync(HijackedConnection connection, TaskCompletionSource detached, CancellationToken cancellation)
    {
        var buffer = new byte[32 * 1024];
        var matched = 0;
        try
        {
            while (true)
            {
                var read = await context.Stdin.ReadAsync(buffer, cancellation);
                if (read == 0)
                    break;
                var data = buffer.AsMemory(0, read);
                if (tty)
                {
                    // Hold back a possible start of the detach sequence until it either completes or breaks.
                    var pending = new List<byte>();
                    foreach (var b in data.Span)
                    {
                        if (b == _detachSequence[matched])
                        {
                            matched++;
                            if (matched == _detachSequence.Length)
                            {
                                detached.TrySetResult();
                                return;
                            }
                            continue;
                        }
                        if (matched > 0)
                        {
                            pending.AddRange(_detachSequence.AsSpan(0, matched).ToArray());
                            matched = 0;
                        }
                        if (b == _detachSequence[0])
                            matched = 1;
                        else
                            pending.Add(b);
                    }
                    if (pending.Count > 0)
                        await connection.Stream.WriteAsync(pending.ToArray(), cancellation);
                }
                else
                {
                    await connection.Stream.WriteAsync(data, cancellation);
                }
                await connection.Stream.FlushAsync(cancellation);
            }
            await connection.CloseWriteAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The container closed its stdin or exited: input has nowhere to go.
        }
    }

    private void ForwardSignal(EngineClient client, PosixSignal signal)
    {
        var name = signal switch
        {
            PosixSignal.SIGINT => "SIGINT",
            PosixSignal.SIGTERM => "SIGTERM",
            PosixSignal.SIGQUIT => "SIGQUIT",
            PosixSignal.SIGHUP => "SIGHUP",
            _ => null,
        };
        if (name is null)
            return;
        _ = Task.Run(async () =>
        {
            try
            {
                await client.KillContainerAsync(id, name, CancellationToken.None);
            }
            catch (EngineApiException)
            {
                // Already gone: the exit status will say so.
            }
        });
    }

    private IDisposable? StartResizing(EngineClient client)
    {
        if (!OperatingSystem.IsLinux() || !NativeTerminal.IsTerminal(1))
            return null;
        void Resize()
        {
            if (NativeTerminal.GetSize(1) is { } size)
            {
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await client.ResizeContainerAsync(id, size.Rows, size.Columns, CancellationToken.None);
                    }
                    catch (EngineApiException)
                    {
                        // A container that already exited cannot be resized; nothing to do.
                    }
                });
            }
        }
        Resize();
        return PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => Resize());
    }
}
