using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Berth.Api;
using Berth.Engine.Runtime.Bundle;
using Berth.Engine.Runtime.Shim;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Containers;

/// <summary>
/// Exec: a further process in a running container, run by the container's shim (runc exec). Docker's rules: the
/// container must be running and not paused, an exec starts once, and its exit code is kept for inspection.
/// </summary>
public sealed partial class ContainerService
{
    private readonly ConcurrentDictionary<string, ExecRecord> _execs = new(StringComparer.Ordinal);

    public ExecRecord CreateExec(string idOrName, ExecCreateRequest config)
    {
        var container = _store.Get(idOrName);
        if (config.Cmd is not { Count: > 0 }) throw BerthException.Invalid("No exec command specified");
        RequireRunning(container, idOrName);
        if (config.WorkingDir.Length > 0 && !config.WorkingDir.StartsWith('/'))
            throw BerthException.Invalid($"the working directory '{config.WorkingDir}' is invalid, it needs to be an absolute path");
        var exec = new ExecRecord(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), container.Id, config);
        _execs[exec.Id] = exec;
        PublishExec(container, "exec_create: " + CommandLine(config), exec.Id);
        return exec;
    }

    public ExecRecord GetExec(string execId) =>
        _execs.TryGetValue(execId, out var exec) ? exec : throw BerthException.NotFound($"No such exec instance: {execId}");

    /// <summary>Ids of the container's execs that have not finished (Docker's ExecIDs; null when none).</summary>
    public List<string>? ExecIdsOf(string containerId)
    {
        var ids = _execs.Values.Where(e => e.ContainerId == containerId && e.ExitCode is null).Select(e => e.Id).ToList();
        return ids.Count > 0 ? ids : null;
    }

    /// <summary>
    /// Starts an exec: writes its OCI process, asks the shim to run it, and watches for its end. The stream is the
    /// process's stdio (raw with a TTY, multiplexed otherwise) unless <paramref name="detach"/> or nothing is attached.
    /// A process that cannot be run throws Invalid with the runtime's message and finishes the exec with 126.
    /// With <paramref name="clientOutput"/> (the client's connection, already answered) the shim writes the output
    /// there itself and the stream only reports its end.
    /// </summary>
    public async Task<ExecStarted> StartExecAsync(string execId, bool detach, long[]? consoleSize, CancellationToken cancellationToken,
        System.Net.Sockets.Socket? clientOutput = null)
    {
        var exec = GetExec(execId);
        var container = _store.Get(exec.ContainerId);
        lock (exec)
        {
            if (exec.Started) throw BerthException.Conflict($"Exec command {exec.Id} has already run");
            exec.Started = true;
        }
        try
        {
            RequireRunning(container, container.Id);
            var config = exec.Config;
            var size = consoleSize is { Length: 2 } ? consoleSize : config.ConsoleSize;
            byte[] process = await BuildExecProcessAsync(container, config, size, cancellationToken);
            var options = new ShimExecOptions(config.Tty,
                Stdin: !detach && config.AttachStdin, Stdout: !detach && config.AttachStdout, Stderr: !detach && config.AttachStderr,
                Height: size is { Length: 2 } ? (int)size[0] : 0, Width: size is { Length: 2 } ? (int)size[1] : 0);
            var shim = new ShimClient(_paths.BundleOf(container.Id));
            PublishExec(container, "exec_start: " + CommandLine(config), exec.Id);
            int pid;
            Stream? stream;
            try
            {
                (pid, stream) = await shim.ExecAsync(exec.Id, process, options, clientOutput, cancellationToken);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.Invalid)
            {
                throw BerthException.Invalid($"OCI runtime exec failed: {e.Message}: unknown");
            }
            exec.Pid = pid;
            exec.Running = true;
            _ = WatchExecAsync(container, exec, shim);
            return new ExecStarted(exec, stream);
        }
        catch (Exception e)
        {
            _logger.LogDebug("exec {Id} failed to start: {Message}", exec.Id, e.Message);
            exec.Finish(126);
            throw;
        }
    }

    public async Task ResizeExecAsync(string execId, int height, int width, CancellationToken cancellationToken)
    {
        var exec = GetExec(execId);
        if (!exec.Running) throw BerthException.Conflict($"Exec {exec.Id} is not running");
        await new ShimClient(_paths.BundleOf(exec.ContainerId)).ResizeExecAsync(exec.Id, height, width, cancellationToken);
    }

    /// <summary>Forgets the execs of a removed container.</summary>
    private void RemoveExecsOf(string containerId)
    {
        foreach (var exec in _execs.Values)
            if (exec.ContainerId == containerId && _execs.TryRemove(exec.Id, out _)) exec.Finish(exec.ExitCode ?? 137);
    }

    private async Task WatchExecAsync(ContainerRecord container, ExecRecord exec, ShimClient shim)
    {
        int exitCode;
        try
        {
            exitCode = (await shim.WaitExecAsync(exec.Id, CancellationToken.None)).ExitCode;
        }
        catch (Exception e)
        {
            // The shim went away with the container: the kernel killed the exec with it.
            _logger.LogDebug("exec {Id}: wait failed ({Message})", exec.Id, e.Message);
            exitCode = 137;
        }
        exec.Finish(exitCode);
        PublishExec(container, "exec_die", exec.Id, exitCode);
    }

    /// <param name="asNamed">How the client named the container: dockerd's paused error repeats it.</param>
    private static void RequireRunning(ContainerRecord container, string asNamed)
    {
        if (!container.State.Running) throw BerthException.Conflict($"Container {container.Id} is not running");
        if (container.State.Paused) throw BerthException.Conflict($"Container {asNamed} is paused, unpause the container before exec");
    }

    /// <summary>The container's own process (from its bundle) with the exec's command, env, user, directory and terminal.</summary>
    private async Task<byte[]> BuildExecProcessAsync(ContainerRecord container, ExecCreateRequest config, long[]? consoleSize, CancellationToken cancellationToken)
    {
        var spec = await BundleWriter.ReadAsync(_paths.BundleOf(container.Id), cancellationToken);
        var baseProcess = spec.Process ?? throw BerthException.Internal($"container {container.Id}: its bundle has no process");
        string rootfs = RootfsOf(container);
        var user = baseProcess.User;
        string? home = null;
        if (config.User.Length > 0)
        {
            var resolved = UserResolver.Resolve(rootfs, config.User, container.HostConfig.GroupAdd ?? []);
            user = new RuntimeUser { Uid = resolved.Uid, Gid = resolved.Gid, AdditionalGids = resolved.AdditionalGids };
            home = resolved.Home;
        }
        var capabilities = baseProcess.Capabilities;
        if (config.Privileged)
        {
            var caps = Capabilities.For(RunSpecFactory.From(container, rootfs, this, network: null) with { Privileged = true }, HostLimitsOnce.Value);
            capabilities = new RuntimeCapabilities { Bounding = caps, Effective = caps, Permitted = caps };
        }
        if (user.Uid != 0 && capabilities is not null) capabilities = new RuntimeCapabilities { Bounding = capabilities.Bounding };
        var process = baseProcess with
        {
            Terminal = config.Tty,
            ConsoleSize = config.Tty && consoleSize is [> 0 and <= ushort.MaxValue, > 0 and <= ushort.MaxValue]
                ? new RuntimeConsoleSize { Height = (uint)consoleSize[0], Width = (uint)consoleSize[1] }
                : null,
            Args = config.Cmd!,
            Env = ExecEnv(baseProcess.Env ?? [], config, home),
            Cwd = config.WorkingDir.Length > 0 ? OciSpecBuilder.CleanPath(config.WorkingDir) : baseProcess.Cwd,
            User = user,
            Capabilities = capabilities,
            NoNewPrivileges = !config.Privileged && baseProcess.NoNewPrivileges,
        };
        return JsonSerializer.SerializeToUtf8Bytes(process, RuntimeSpecJsonContext.Default.RuntimeProcess);
    }

    /// <summary>The container's env with TERM for a TTY, HOME for another user, and the exec's entries replacing by name.</summary>
    private static List<string> ExecEnv(IReadOnlyList<string> containerEnv, ExecCreateRequest config, string? home)
    {
        var env = containerEnv.ToList();
        if (config.Tty) Set(env, "TERM=xterm", onlyIfMissing: true);
        if (home is not null) Set(env, "HOME=" + home, onlyIfMissing: false);
        foreach (string entry in config.Env ?? [])
        {
            if (entry.Contains('=')) Set(env, entry, onlyIfMissing: false);
            else env.RemoveAll(e => e.StartsWith(entry + "=", StringComparison.Ordinal));
        }
        return env;

        static void Set(List<string> env, string entry, bool onlyIfMissing)
        {
            string prefix = entry[..(entry.IndexOf('=') + 1)];
            int at = env.FindIndex(e => e.StartsWith(prefix, StringComparison.Ordinal));
            if (at < 0) env.Add(entry);
            else if (!onlyIfMissing) env[at] = entry;
        }
    }

    /// <summary>Docker's event text: the entrypoint, a space, then the arguments (so "true " for no arguments).</summary>
    private static string CommandLine(ExecCreateRequest config) =>
        config.Cmd is [var entrypoint, .. var args] ? $"{entrypoint} {string.Join(' ', args)}" : "";

    private void PublishExec(ContainerRecord container, string action, string execId, int? exitCode = null)
    {
        var extra = new Dictionary<string, string> { ["execID"] = execId };
        if (exitCode is { } code) extra["exitCode"] = code.ToString(CultureInfo.InvariantCulture);
        Publish(container, action, extra);
    }
}
