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
        var output = HijackedPumps.PumpOutputAsync(context, connection, tty, cancellation);
        var detached = new TaskCompletionSource();
        if (stdin)
            _ = Task.Run(() => HijackedPumps.PumpInputAsync(context, connection, tty, _detachSequence, detached, cancellation), CancellationToken.None);

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

    private IDisposable? StartResizing(EngineClient client) =>
        HijackedPumps.FollowTerminalSize((rows, columns) => client.ResizeContainerAsync(id, rows, columns, CancellationToken.None));
}
