using System.Net.Sockets;
using Berth.Api;
using Berth.Engine.Runtime.Bundle;
using Berth.Engine.Runtime.Mounts;
using Berth.Engine.Runtime.Shim;
using Berth.Oci.Errors;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Plugins.Managed;

/// <summary>
/// Runs managed plugins as containers through berth-shim and runc. A plugin's bundle and shim state live in
/// <c>&lt;exec-root&gt;/plugin-bundles/&lt;id&gt;</c>, its socket directory (bind-mounted at /run/docker/plugins inside)
/// in <c>&lt;exec-root&gt;/plugins/&lt;id&gt;</c>, runc's state under its own root so plugin and container IDs never meet.
/// </summary>
public sealed class PluginRunner(EnginePaths paths, EngineOptions options, PluginStore store, ILogger logger)
{
    /// <summary>How long a started plugin has to listen on its socket (dockerd: half a second, then 3 tries 3 s apart).</summary>
    public static TimeSpan SocketWait { get; set; } = TimeSpan.FromSeconds(10);

    public string SocketDirOf(string id) => Path.Combine(paths.ExecRoot, "plugins", id);

    public string BundleOf(string id) => Path.Combine(paths.ExecRoot, "plugin-bundles", id);

    private string RuntimeRoot => Path.Combine(paths.ExecRoot, "plugin-runc");

    /// <summary>The host path of the plugin's socket, which berthd dials.</summary>
    public string SocketPathOf(Plugin plugin) => Path.Combine(SocketDirOf(plugin.Id), plugin.Config.Interface.Socket);

    /// <summary>
    /// Starts the plugin and waits until its socket accepts a connection; on failure nothing is left running and the
    /// error is dockerd's (the dial's).
    /// </summary>
    public async Task StartAsync(Plugin plugin, CancellationToken cancellationToken)
    {
        string bundle = BundleOf(plugin.Id);
        string socketDir = SocketDirOf(plugin.Id);
        Directory.CreateDirectory(socketDir);
        string socket = SocketPathOf(plugin);
        File.Delete(socket); // a socket left by an earlier run would answer nothing
        if (plugin.Config.PropagatedMount.Length > 0) MountPropagatedRoot(store.PropagatedMountOf(plugin.Id));

        var spec = PluginSpecBuilder.Build(plugin, new PluginSpecPaths(store.RootfsOf(plugin.Id), socketDir,
            store.PropagatedMountOf(plugin.Id), $"{options.CgroupParent}/plugins/{plugin.Id}"), HostLimits.Current);
        await BundleWriter.WriteAsync(bundle, spec, cancellationToken);
        File.Delete(Path.Combine(bundle, ShimFiles.Exit)); // an earlier run's, which would read as this one's end
        var launch = new ShimLaunchSpec(plugin.Id, bundle, bundle, options.RuntimePath, RuntimeRoot, Path.Combine(bundle, "plugin.log"),
            OpenStdin: false, StdinOnce: false, Tty: false, ConsoleHeight: 0, ConsoleWidth: 0,
            CgroupPath: spec.Linux.CgroupsPath ?? "");
        try
        {
            await ShimLauncher.LaunchAsync(options.ShimPath, launch, cancellationToken);
            await new ShimClient(bundle).StartAsync(cancellationToken);
            await WaitForSocketAsync(socket, bundle, cancellationToken);
        }
        catch
        {
            await StopAsync(plugin, TimeSpan.Zero);
            throw;
        }
    }

    /// <summary>True when the plugin's shim answers with its process running (a restarted daemon adopts it).</summary>
    public async Task<bool> IsRunningAsync(Plugin plugin, CancellationToken cancellationToken)
    {
        try
        {
            var state = await new ShimClient(BundleOf(plugin.Id)).StateAsync(cancellationToken);
            return state is { Status: ShimState.Running };
        }
        catch (Exception e) when (e is BerthException or IOException or SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Stops the plugin: SIGTERM, then SIGKILL after <paramref name="grace"/>, as dockerd's shutdown of a plugin; then its
    /// shim, runc state, socket directory and the propagated mount go.
    /// </summary>
    public async Task StopAsync(Plugin plugin, TimeSpan grace)
    {
        string bundle = BundleOf(plugin.Id);
        var shim = new ShimClient(bundle);
        // Each step on its own: a plugin that exited by itself refuses the kill, and its shim must still be shut down.
        if (grace > TimeSpan.Zero && await TryAsync(() => shim.KillAsync(15, CancellationToken.None)))
        {
            using var graceTimeout = new CancellationTokenSource(grace);
            await TryAsync(() => shim.WaitAsync(graceTimeout.Token));
        }
        await TryAsync(() => shim.KillAsync(9, CancellationToken.None));
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
            await TryAsync(() => shim.WaitAsync(timeout.Token));
        if (await TryAsync(() => shim.ShutdownAsync(CancellationToken.None)))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
            while (File.Exists(shim.SocketPath) && DateTime.UtcNow < deadline) await Task.Delay(5);
        }
        await DeleteRuncStateAsync(plugin.Id);
        File.Delete(shim.SocketPath);
        if (Directory.Exists(SocketDirOf(plugin.Id))) Directory.Delete(SocketDirOf(plugin.Id), recursive: true);
        string propagated = store.PropagatedMountOf(plugin.Id);
        if (MountPoints.IsMountPoint(propagated)) Syscalls.Umount2(propagated, Syscalls.MNT_DETACH);
    }

    /// <summary>A shim request that may fail because the plugin or its shim is gone already; true when it succeeded.</summary>
    private static async Task<bool> TryAsync(Func<Task> request)
    {
        try
        {
            await request();
            return true;
        }
        catch (Exception e) when (e is BerthException or IOException or SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// The host side of the propagated mount is a shared mount of its own, so the plugin's mounts under it (volumes)
    /// show on the host, where containers bind them from.
    /// </summary>
    private static void MountPropagatedRoot(string dir)
    {
        Directory.CreateDirectory(dir);
        if (!MountPoints.IsMountPoint(dir) && Syscalls.Mount(dir, dir, "", Syscalls.MS_BIND | Syscalls.MS_REC, null) != 0)
            throw BerthException.Internal($"bind mount of {dir}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        if (Syscalls.Mount("", dir, "", Syscalls.MS_SHARED | Syscalls.MS_REC, null) != 0)
            throw BerthException.Internal($"making {dir} shared: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Polls the socket until it accepts a connection; a plugin that has exited already is not waited for.</summary>
    private static async Task WaitForSocketAsync(string socket, string bundle, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + SocketWait;
        string error = "connect: no such file or directory";
        while (true)
        {
            try
            {
                using var connection = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await connection.ConnectAsync(new UnixDomainSocketEndPoint(socket), cancellationToken);
                return;
            }
            catch (SocketException e)
            {
                error = e.SocketErrorCode == SocketError.ConnectionRefused ? "connect: connection refused" : "connect: no such file or directory";
            }
            if (DateTime.UtcNow >= deadline || ShimClient.ReadExitFile(bundle) is not null) throw BerthException.Internal($"dial unix {socket}: {error}");
            await Task.Delay(50, cancellationToken);
        }
    }

    private async Task DeleteRuncStateAsync(string id)
    {
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo(options.RuntimePath) { ArgumentList = { "--root", RuntimeRoot, "delete", "--force", id }, RedirectStandardError = true };
            using var process = System.Diagnostics.Process.Start(start);
            if (process is not null) await process.WaitForExitAsync();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            logger.LogWarning("plugin {Id}: runc delete failed: {Message}", id, e.Message);
        }
    }
}
