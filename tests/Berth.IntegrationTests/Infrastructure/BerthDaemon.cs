using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Berth.IntegrationTests.Infrastructure;

/// <summary>
/// A real berthd on its own data root, exec root and socket, with busybox:latest imported. Tests drive it with the
/// real docker CLI, the berth CLI and raw HTTP. Disposing removes its containers, stops it and deletes its roots.
/// </summary>
public sealed class BerthDaemon : IAsyncDisposable
{
    private Process? _process;

    private BerthDaemon(string root, string execRoot)
    {
        Root = root;
        ExecRoot = execRoot;
        DataRoot = Path.Combine(root, "data");
        Socket = Path.Combine(root, "berth.sock");
        Http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { BaseAddress = new Uri("http://berthd"), Timeout = TimeSpan.FromMinutes(2) };
    }

    public string Root { get; }
    public string DataRoot { get; }
    public string ExecRoot { get; }
    public string Socket { get; }
    public string Host => "unix://" + Socket;
    public HttpClient Http { get; }
    public string LogPath => Path.Combine(Root, "berthd.log");
    public IReadOnlyList<string> ExtraArgs { get; private init; } = [];

    /// <summary>The network namespace the daemon runs in (a path under /run/netns), or null for the host's.</summary>
    public string? NetworkNamespace { get; private init; }

    /// <summary>Starts a daemon; exec roots are short paths under /run because unix socket paths are limited to 108 bytes.</summary>
    public static Task<BerthDaemon> StartAsync(bool withBusybox = true) => StartAsync(withBusybox, []);

    /// <param name="extraArgs">More berthd flags (e.g. <c>--registry-mirror=…</c>), each one argument.</param>
    public static Task<BerthDaemon> StartAsync(bool withBusybox, IReadOnlyList<string> extraArgs) => StartAsync(withBusybox, extraArgs, null);

    /// <summary>
    /// A daemon in a network namespace of the test's own (<c>nsenter --net</c>; it shares the host's filesystem): one
    /// "machine" of a multi-node test, with its own interfaces, routes and ports.
    /// </summary>
    public static Task<BerthDaemon> StartInNamespaceAsync(string netnsPath) => StartAsync(true, [], netnsPath);

    private static async Task<BerthDaemon> StartAsync(bool withBusybox, IReadOnlyList<string> extraArgs, string? netnsPath)
    {
        string suffix = Guid.NewGuid().ToString("N")[..8];
        var daemon = new BerthDaemon(Path.Combine(Path.GetTempPath(), "berth-it-" + suffix), "/run/bt-" + suffix)
        {
            ExtraArgs = extraArgs, NetworkNamespace = netnsPath,
        };
        Directory.CreateDirectory(daemon.Root);
        await daemon.LaunchAsync();
        if (withBusybox) await daemon.ImportBusyboxAsync();
        return daemon;
    }

    public async Task LaunchAsync()
    {
        // Output goes to a file through the shell so that the daemon never blocks on a pipe nobody reads.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        // dockerd's retry countdown ticks in seconds (75 s for a layer that fails six times): a test daemon's ticks are
        // 10 ms, with the same messages and attempts.
        info.Environment["BERTH_TEST_RETRY_STEP_MS"] = "10";
        info.ArgumentList.Add("-c");
        string enter = NetworkNamespace is null ? "" : $"nsenter --net='{NetworkNamespace}' ";
        info.ArgumentList.Add($"exec {enter}'{BerthBinaries.Daemon}' -H '{Host}' --data-root '{DataRoot}' --exec-root '{ExecRoot}' --pidfile '{Root}/berthd.pid'{string.Concat(ExtraArgs.Select(a => $" '{a}'"))} >>'{LogPath}' 2>&1 </dev/null");
        _process = Process.Start(info) ?? throw new InvalidOperationException("cannot start berthd");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"berthd exited with {_process.ExitCode}: {Log()}");
            try
            {
                using var response = await Http.GetAsync("/_ping");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException($"berthd did not answer /_ping: {Log()}");
    }

    public string Log() => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    public int Pid => _process?.Id ?? 0;

    public async Task ImportBusyboxAsync()
    {
        string tar = await BusyboxImage.TarPathAsync();
        await using var file = File.OpenRead(tar);
        using var content = new StreamContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var response = await Http.PostAsync("/images/create?fromSrc=-&repo=busybox&tag=latest&changes=" + Uri.EscapeDataString("CMD [\"sh\"]"), content);
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"import failed: {(int)response.StatusCode} {body}");
    }

    public Dictionary<string, string> Env => new() { ["DOCKER_HOST"] = Host, ["BERTH_HOST"] = Host, ["DOCKER_CONFIG"] = Path.Combine(Root, "docker-config") };

    public Task<CommandResult> DockerAsync(params string[] args) => Commands.RunAsync(BerthBinaries.DockerCli, args, Env);

    public Task<CommandResult> DockerWithInputAsync(string stdin, params string[] args) => Commands.RunAsync(BerthBinaries.DockerCli, args, Env, stdin);

    public Task<CommandResult> BerthAsync(params string[] args) => Commands.RunAsync(BerthBinaries.Cli, args, Env);

    public Task<CommandResult> BerthWithInputAsync(string stdin, params string[] args) => Commands.RunAsync(BerthBinaries.Cli, args, Env, stdin);

    /// <summary>SIGHUP: the daemon reads daemon.json again.</summary>
    public async Task HangUpAsync()
    {
        using var kill = Process.Start("kill", ["-HUP", Pid.ToString()])!;
        await kill.WaitForExitAsync();
    }

    /// <summary>Polls <paramref name="condition"/> for 30 s; on a timeout the error shows the end of the daemon's log.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            string log = Log();
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the daemon did not {what} in 30 s; its log ends with: {log[Math.Max(0, log.Length - 3000)..]}");
            await Task.Delay(100);
        }
    }

    /// <summary>Kills the daemon with SIGKILL (containers and shims live on).</summary>
    public async Task KillAsync()
    {
        if (_process is null) return;
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an init system would stop it.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited) return;
        Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _process.WaitForExitAsync(cts.Token);
    }

    /// <summary>
    /// The daemon leaves its bridges and its nftables table behind when it stops (as dockerd leaves docker0 and its
    /// rules); a test run must not.
    /// </summary>
    private async Task RemoveOwnDevicesAsync()
    {
        var names = new Berth.Engine.Networks.Bridge.DeviceNames(Path.GetFullPath(DataRoot));
        Berth.Engine.Networks.Nftables.BridgeFirewall.DeleteTable(names.FirewallTable);
        string tag = names.OwnerTag;
        await Commands.RunAsync("/bin/sh", ["-c", $"ip -o link show | grep -F ' alias {tag}' | awk '{{sub(/@.*/, \"\", $2); sub(/:$/, \"\", $2); print $2}}' | xargs -r -n1 ip link delete"]);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                var ids = await DockerAsync("ps", "-aq");
                foreach (var id in ids.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    await DockerAsync("rm", "-f", id);
                await StopAsync();
            }
        }
        finally
        {
            Http.Dispose();
            await RemoveOwnDevicesAsync();
            foreach (var dir in new[] { ExecRoot, Root })
            {
                await Commands.RunAsync("/bin/sh", ["-c", $"grep -o ' {dir}[^ ]*' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l; rm -rf '{dir}'"]);
            }
        }
    }
}
