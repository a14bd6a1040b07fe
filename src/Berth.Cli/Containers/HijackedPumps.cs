using System.Runtime.InteropServices;
using Berth.Client;
using Berth.Client.Hijack;
using Berth.Client.Streams;
using Berth.Cli.Terminal;

namespace Berth.Cli.Containers;

/// <summary>
/// The copying both attach and exec do on a hijacked connection: output to our stdout/stderr (demultiplexed unless
/// TTY), our stdin to the connection (watching for the detach keys with a TTY, half-closed at EOF), and the
/// terminal's size kept in step through SIGWINCH.
/// </summary>
public static class HijackedPumps
{
    public static async Task PumpOutputAsync(CliContext context, HijackedConnection connection, bool tty, CancellationToken cancellation)
    {
        // The TTY setting decides the framing; daemons before API 1.42 label every stream "raw".
        if (!tty)
            await new MultiplexedStreamReader(connection.Stream).DemuxAsync(context.StdoutStream, context.StderrStream, cancellation);
        else
            await CopyFlushingAsync(connection.Stream, context.StdoutStream, cancellation);
    }

    /// <summary>Copies stdin until EOF (then half-closes) or, with a TTY, until the detach sequence completes <paramref name="detached"/>.</summary>
    public static async Task PumpInputAsync(CliContext context, HijackedConnection connection, bool tty, byte[] detachSequence,
        TaskCompletionSource detached, CancellationToken cancellation)
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
                        if (b == detachSequence[matched])
                        {
                            matched++;
                            if (matched == detachSequence.Length)
                            {
                                detached.TrySetResult();
                                return;
                            }
                            continue;
                        }
                        if (matched > 0)
                        {
                            pending.AddRange(detachSequence.AsSpan(0, matched).ToArray());
                            matched = 0;
                        }
                        if (b == detachSequence[0])
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
            // The process closed its stdin or exited: input has nowhere to go.
        }
    }

    /// <summary>Sends our terminal's size now and on every SIGWINCH; null when stdout is not a terminal.</summary>
    public static IDisposable? FollowTerminalSize(Func<int, int, Task> resize)
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
                        await resize(size.Rows, size.Columns);
                    }
                    catch (EngineApiException)
                    {
                        // A process that already exited cannot be resized; nothing to do.
                    }
                });
            }
        }
        Resize();
        return PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => Resize());
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
}
