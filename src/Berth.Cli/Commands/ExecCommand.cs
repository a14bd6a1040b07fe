using System.Text.Json.Nodes;
using Berth.Cli.Containers;
using Berth.Cli.Parsing;
using Berth.Cli.Terminal;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth exec</c>, in docker's order: create the exec, start it hijacked (or detached with -d), copy its stdio
/// (raw terminal and window size with -t), then read its exit code from the exec's inspect.
/// </summary>
public static class ExecCommand
{
    public static readonly CommandSpec Spec = new("exec", "[OPTIONS] CONTAINER COMMAND [ARG...]", "Execute a command in a running container",
    [
        FlagSpec.Bool("detach", 'd', "Detached mode: run command in the background"),
        FlagSpec.String("detach-keys", null, "Override the key sequence for detaching a container"),
        FlagSpec.List("env", 'e', "Set environment variables"),
        FlagSpec.Bool("interactive", 'i', "Keep STDIN open even if not attached"),
        FlagSpec.Bool("privileged", null, "Give extended privileges to the command"),
        FlagSpec.Bool("tty", 't', "Allocate a pseudo-TTY"),
        FlagSpec.String("user", 'u', "Username or UID (format: <name|uid>[:<group|gid>])"),
        FlagSpec.String("workdir", 'w', "Working directory inside the container"),
    ], ArgRule.AtLeast(2), RunAsync, Interspersed: false);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var client = context.Client;
        var cancellation = context.Cancellation;
        var container = flags.Positionals[0];
        bool detach = flags.Bool("detach"), interactive = flags.Bool("interactive"), tty = flags.Bool("tty");
        var detachKeys = flags.String("detach-keys");
        var detachSequence = DetachKeys.Parse(detachKeys);
        var size = tty && OperatingSystem.IsLinux() ? NativeTerminal.GetSize(1) : null;
        var config = new JsonObject
        {
            ["User"] = flags.String("user") ?? "",
            ["Privileged"] = flags.Bool("privileged"),
            ["Tty"] = tty,
            ["AttachStdin"] = interactive && !detach,
            ["AttachStdout"] = !detach,
            ["AttachStderr"] = !detach,
            ["Detach"] = detach,
            ["DetachKeys"] = detachKeys ?? "",
            ["Env"] = new JsonArray([.. flags.List("env").Select(e => (JsonNode?)JsonValue.Create(e))]),
            ["WorkingDir"] = flags.String("workdir") ?? "",
            ["Cmd"] = new JsonArray([.. flags.Positionals.Skip(1).Select(a => (JsonNode?)JsonValue.Create(a))]),
        };
        if (size is { } s) config["ConsoleSize"] = new JsonArray(s.Rows, s.Columns);
        var execId = await client.CreateExecAsync(container, config, cancellation);
        if (detach)
        {
            await client.StartExecDetachedAsync(execId, tty, cancellation);
            return 0;
        }

        await using var connection = await client.StartExecAttachedAsync(execId, tty, size, cancellation);
        using var rawIn = tty && interactive ? RawMode.Enter(0) : null;
        using var resize = tty ? HijackedPumps.FollowTerminalSize((rows, columns) => client.ResizeExecAsync(execId, rows, columns, CancellationToken.None)) : null;
        var output = HijackedPumps.PumpOutputAsync(context, connection, tty, cancellation);
        var detached = new TaskCompletionSource();
        if (interactive)
            _ = Task.Run(() => HijackedPumps.PumpInputAsync(context, connection, tty, detachSequence, detached, cancellation), CancellationToken.None);
        if (await Task.WhenAny(output, detached.Task) == detached.Task)
            return 0;
        try
        {
            await output;
        }
        catch (IOException) when (!cancellation.IsCancellationRequested)
        {
            // The daemon dropped the stream; the exec's inspect still tells how it ended.
        }
        rawIn?.Dispose();
        var inspect = await client.InspectExecAsync(execId, cancellation);
        return inspect["ExitCode"]?.GetValue<int>() ?? 0;
    }
}
