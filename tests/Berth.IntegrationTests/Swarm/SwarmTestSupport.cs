using System.Net;
using System.Net.Sockets;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Swarm;

/// <summary>What the swarm tests share: a swarm on the test's daemon, waiting for tasks, free ports, loopback HTTP.</summary>
internal static class SwarmTestSupport
{
    public static async Task InitAsync(BerthDaemon daemon)
    {
        var state = (await daemon.DockerAsync("info", "--format", "{{.Swarm.LocalNodeState}}")).EnsureSuccess();
        if (state.Stdout.Trim() != "active") (await daemon.DockerAsync(InitArgs())).EnsureSuccess();
    }

    /// <summary>
    /// swarm init on loopback with a free listen port: tests run in parallel, each daemon with a swarm of its own, so
    /// none may take the default port 2377.
    /// </summary>
    public static string[] InitArgs(params string[] more) =>
        ["swarm", "init", "--advertise-addr", "127.0.0.1", "--listen-addr", $"127.0.0.1:{FreePort()}", .. more];

    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..6];

    /// <summary>Polls a docker command until its output satisfies the condition (bounded: 30 s).</summary>
    public static async Task<string> WaitForAsync(BerthDaemon daemon, Func<string, bool> condition, params string[] args)
    {
        string last = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(250))
        {
            var result = await daemon.DockerAsync(args);
            last = result.ToString();
            if (result.ExitCode == 0 && condition(result.Stdout)) return result.Stdout;
        }
        throw new Xunit.Sdk.XunitException($"docker {string.Join(' ', args)} never satisfied the condition; last: {last}");
    }

    /// <summary>The running containers of a service, by the label swarm gives them.</summary>
    public static async Task<string[]> RunningContainersAsync(BerthDaemon daemon, string service) =>
        (await daemon.DockerAsync("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + service)).EnsureSuccess()
            .Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>One GET on loopback; null when nothing answered (bounded: 3 s).</summary>
    public static async Task<string?> GetAsync(int port, string path)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            return await http.GetStringAsync($"http://127.0.0.1:{port}{path}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }
}
