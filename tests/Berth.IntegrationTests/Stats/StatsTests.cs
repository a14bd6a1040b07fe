using System.Globalization;
using System.Text.Json.Nodes;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Stats;

/// <summary>docker stats, berth stats and GET /containers/{id}/stats against berthd.</summary>
public sealed class StatsTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private async Task<string> RunAsync(params string[] args) =>
        (await Daemon.DockerAsync(["run", "-d", .. args])).EnsureSuccess().Stdout.Trim();

    private async Task<JsonNode> StatsJsonAsync(string id, string query)
    {
        using var response = await Daemon.Http.GetAsync($"/v1.41/containers/{id}/stats?{query}");
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }

    [Fact]
    public async Task No_stream_shows_the_memory_limit_and_pids_of_a_running_busybox_in_docker_and_berth()
    {
        string name = "st-mem-" + Guid.NewGuid().ToString("N")[..6];
        await RunAsync("--name", name, "-m", "64m", "busybox", "sh", "-c", "sleep 600 & sleep 601 & wait");
        foreach (var cli in new[] { Daemon.DockerAsync, (Func<string[], Task<CommandResult>>)Daemon.BerthAsync })
        {
            var table = (await cli(["stats", "--no-stream", name])).EnsureSuccess().Stdout;
            Assert.StartsWith("CONTAINER ID   NAME", table);
            Assert.Contains("MEM USAGE / LIMIT", table);
            string[] fields = [];
            // The shell forks its two sleeps just after the container starts.
            for (int attempt = 0; attempt < 50 && (fields.Length < 4 || fields[3] != "3"); attempt++)
            {
                if (attempt > 0) await Task.Delay(100);
                var row = await cli(["stats", "--no-stream", "--format", "{{.Name}}|{{.MemUsage}}|{{.MemPerc}}|{{.PIDs}}|{{.NetIO}}", name]);
                fields = row.EnsureSuccess().Stdout.Trim().Split('|');
            }
            Assert.Equal(name, fields[0]);
            Assert.EndsWith(" / 64MiB", fields[1]);
            Assert.DoesNotMatch("^0B ", fields[1]);
            Assert.EndsWith("%", fields[2]);
            Assert.Equal("3", fields[3]); // sh and its two sleeps
            Assert.Contains(" / ", fields[4]);
        }
    }

    [Fact]
    public async Task The_api_answers_dockers_fields_with_a_previous_sample_and_one_shot_has_none()
    {
        string id = await RunAsync("-m", "32m", "--pids-limit", "40", "busybox", "sleep", "600");
        var stats = await StatsJsonAsync(id, "stream=false");
        Assert.Equal(id, (string?)stats["id"]);
        Assert.StartsWith("/", (string?)stats["name"]);
        Assert.NotEqual("0001-01-01T00:00:00Z", (string?)stats["read"]);
        Assert.NotEqual("0001-01-01T00:00:00Z", (string?)stats["preread"]);
        Assert.True((ulong)stats["precpu_stats"]!["system_cpu_usage"]! > 0);
        Assert.True((ulong)stats["cpu_stats"]!["system_cpu_usage"]! > (ulong)stats["precpu_stats"]!["system_cpu_usage"]!);
        Assert.True((uint)stats["cpu_stats"]!["online_cpus"]! >= 1);
        Assert.True((ulong)stats["cpu_stats"]!["cpu_usage"]!["total_usage"]! > 0);
        Assert.Equal(32UL * 1024 * 1024, (ulong)stats["memory_stats"]!["limit"]!);
        Assert.True((ulong)stats["memory_stats"]!["usage"]! > 0);
        Assert.True(stats["memory_stats"]!["stats"]!.AsObject().ContainsKey(ContainerCgroup.V2 ? "inactive_file" : "total_inactive_file"));
        Assert.Equal(1UL, (ulong)stats["pids_stats"]!["current"]!);
        Assert.Equal(40UL, (ulong)stats["pids_stats"]!["limit"]!);
        if (!ContainerCgroup.V2) Assert.NotNull(stats["blkio_stats"]!["io_service_bytes_recursive"]); // [] on v1, null on v2 until I/O happens
        Assert.NotNull(stats["networks"]!["eth0"]!["rx_bytes"]);

        var oneShot = await StatsJsonAsync(id, "stream=false&one-shot=true");
        Assert.Equal("0001-01-01T00:00:00Z", (string?)oneShot["preread"]);
        Assert.Equal(0UL, (ulong)oneShot["precpu_stats"]!["cpu_usage"]!["total_usage"]!);
    }

    [Fact]
    public async Task A_stream_yields_a_sample_about_every_second_each_paired_with_the_one_before()
    {
        string id = await RunAsync("busybox", "sleep", "600");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var response = await Daemon.Http.GetAsync($"/containers/{id}/stats", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var samples = new List<JsonNode>();
        while (samples.Count < 3 && await reader.ReadLineAsync(timeout.Token) is { } line)
            samples.Add(JsonNode.Parse(line)!);
        Assert.Equal(3, samples.Count);
        var reads = samples.Select(s => DateTimeOffset.Parse((string)s["read"]!, CultureInfo.InvariantCulture)).ToList();
        Assert.InRange((reads[2] - reads[1]).TotalSeconds, 0.8, 2.5);
        Assert.Equal((string?)samples[1]["read"], (string?)samples[2]["preread"]);
        Assert.Equal((ulong)samples[1]["cpu_stats"]!["system_cpu_usage"]!, (ulong)samples[2]["precpu_stats"]!["system_cpu_usage"]!);
    }

    [Fact]
    public async Task A_container_burning_cpu_shows_cpu_percent_above_zero()
    {
        string id = await RunAsync("busybox", "sh", "-c", "while :; do :; done");
        await Task.Delay(300);
        foreach (var cli in new[] { Daemon.DockerAsync, (Func<string[], Task<CommandResult>>)Daemon.BerthAsync })
        {
            string percent = (await cli(["stats", "--no-stream", "--format", "{{.CPUPerc}}", id])).EnsureSuccess().Stdout.Trim();
            Assert.True(double.Parse(percent.TrimEnd('%'), CultureInfo.InvariantCulture) > 1, $"CPU {percent}"); // low bar: the test machine may be busy
        }
    }

    [Fact]
    public async Task A_stopped_container_reads_as_zeros_as_in_docker()
    {
        string id = (await Daemon.DockerAsync("create", "busybox", "true")).EnsureSuccess().Stdout.Trim();
        var stats = await StatsJsonAsync(id, "stream=false");
        Assert.Equal("0001-01-01T00:00:00Z", (string?)stats["read"]);
        Assert.Null(stats["blkio_stats"]!["io_service_bytes_recursive"]);
        Assert.Empty(stats["memory_stats"]!.AsObject());
        Assert.Null(stats["networks"]);
        string row = (await Daemon.DockerAsync("stats", "--no-stream", "--format", "{{.CPUPerc}} {{.MemUsage}} {{.PIDs}}", id)).EnsureSuccess().Stdout.Trim();
        Assert.Equal("0.00% 0B / 0B 0", row);
        var missing = await Daemon.DockerAsync("stats", "--no-stream", "no-such-container-st");
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("No such container", missing.Stderr);
    }
}
