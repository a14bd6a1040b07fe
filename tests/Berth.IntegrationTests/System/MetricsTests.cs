using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Berth.IntegrationTests.Infrastructure;

// Not Berth.IntegrationTests.System: that namespace would hide the System namespace from every other test file.
namespace Berth.IntegrationTests.DaemonConfig;

/// <summary>--metrics-addr: Prometheus metrics under dockerd's names on a listener of their own, and nothing else there.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_count_containers_and_their_actions_and_the_listener_serves_nothing_else()
    {
        int port = FreePort();
        await using var daemon = await BerthDaemon.StartAsync(withBusybox: true, ["--metrics-addr", $"127.0.0.1:{port}"]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        (await daemon.DockerAsync("run", "-d", "--name", "up", "--network", "none", "busybox", "sleep", "300")).EnsureSuccess();
        (await daemon.DockerAsync("create", "--name", "down", "--network", "none", "busybox", "true")).EnsureSuccess();
        (await daemon.DockerAsync("rm", "down")).EnsureSuccess();

        using var response = await http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain; version=0.0.4", response.Content.Headers.ContentType?.ToString());
        string metrics = await response.Content.ReadAsStringAsync();
        Assert.Contains("engine_daemon_container_states_containers{state=\"running\"} 1\n", metrics);
        Assert.Contains("engine_daemon_container_states_containers{state=\"stopped\"} 0\n", metrics);
        Assert.Contains("# TYPE engine_daemon_container_actions_seconds histogram\n", metrics);
        Assert.Equal(2, Count(metrics, "create"));
        Assert.Equal(1, Count(metrics, "start"));
        Assert.Equal(1, Count(metrics, "delete"));
        string id = (await daemon.DockerAsync("info", "-f", "{{.ID}}")).EnsureSuccess().Stdout.Trim();
        Assert.Contains($"daemon_id=\"{id}\"", metrics);
        Assert.Matches(@"\nengine_daemon_events_total [1-9]\d*\n", metrics);
        Assert.Matches(@"\nprocess_resident_memory_bytes [1-9]\d*\n", metrics);

        // The API is not served on the metrics listener, nor metrics on the API's socket.
        using var api = await http.GetAsync("version");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("404 page not found\n", await api.Content.ReadAsStringAsync());
        using var onSocket = await daemon.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, onSocket.StatusCode);
    }

    private static int Count(string metrics, string action) =>
        int.Parse(Regex.Match(metrics, $"engine_daemon_container_actions_seconds_count{{action=\"{action}\"}} (\\d+)").Groups[1].Value);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
