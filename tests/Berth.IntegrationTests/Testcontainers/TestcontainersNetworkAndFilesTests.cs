using System.Text;
using Berth.IntegrationTests.Infrastructure;
using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;

namespace Berth.IntegrationTests.Testcontainers;

/// <summary>
/// More of what Testcontainers for .NET (4.16) users do against berthd: a user-defined network with aliases, files and
/// mounts of every kind, environment and labels, exec-based wait strategies, exit codes, auto-removal, pause, and the
/// Docker.DotNet client underneath (filters, system, images, events).
/// </summary>
public sealed class TestcontainersNetworkAndFilesTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    // Busybox's sh as PID 1 has no default action for TERM; trapping it lets stop return at once instead of after the
    // 10 s timeout and the KILL that follows.
    private const string SleepUntilStopped = "trap 'exit 0' TERM; while true; do sleep 1; done";

    static TestcontainersNetworkAndFilesTests() => TestcontainersDefaults.Apply();

    private BerthDaemon Daemon => fixture.Daemon;

    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    // The client Testcontainers itself uses (Docker.DotNet.Enhanced), as its users reach for it beside the builders.
    private DockerClient DockerClient() => new DockerClientBuilder().WithEndpoint(new Uri(Daemon.Host)).Build();

    [Fact]
    public async Task Two_containers_on_a_user_defined_network_reach_each_other_by_alias()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var network = new NetworkBuilder()
            .WithDockerEndpoint(Daemon.Host)
            .WithName(Unique("tc-net"))
            .Build();
        await network.CreateAsync(timeout.Token);

        await using var server = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(Daemon.Host)
            .WithNetwork(network)
            .WithNetworkAliases("web")
            .WithCommand("sh", "-c", "mkdir -p /www && echo pong > /www/ping && exec httpd -f -p 8080 -h /www")
            .WithWaitStrategy(Wait.ForUnixContainer().UntilInternalTcpPortIsAvailable(8080))
            .Build();
        await server.StartAsync(timeout.Token);

        await using var client = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(Daemon.Host)
            .WithNetwork(network)
            .WithCommand("wget", "-qO-", "http://web:8080/ping")
            .Build();
        await client.StartAsync(timeout.Token);

        Assert.Equal(0, await client.GetExitCodeAsync(timeout.Token));
        var (stdout, _) = await client.GetLogsAsync(timestampsEnabled: false, ct: timeout.Token);
        Assert.Equal("pong\n", stdout);

        // The server's own view: the name resolves from another container on the network, by exec too.
        await using var prober = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(Daemon.Host)
            .WithNetwork(network)
            .WithCommand("sh", "-c", SleepUntilStopped)
            .Build();
        await prober.StartAsync(timeout.Token);
        var exec = await prober.ExecAsync(["wget", "-qO-", "http://web:8080/ping"], timeout.Token);
        Assert.Equal((0L, "pong\n"), (exec.ExitCode, exec.Stdout));
        Assert.Equal(server.IpAddress, (await prober.ExecAsync(["sh", "-c", "nslookup web | awk '/^Address/ { a = $NF } END { print a }'"], timeout.Token)).Stdout.Trim());
        await prober.StopAsync(timeout.Token);
    }

    [Fact]
    public async Task A_container_on_two_networks_is_reached_by_its_alias_from_each()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var front = new NetworkBuilder().WithDockerEndpoint(Daemon.Host).WithName(Unique("tc-front")).Build();
        await using var back = new NetworkBuilder().WithDockerEndpoint(Daemon.Host).WithName(Unique("tc-back")).Build();
        await front.CreateAsync(timeout.Token);
        await back.CreateAsync(timeout.Token);

        // API 1.44 and later take several networks at create (Docker 20.10's 1.41 refused them).
        await using var server = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(Daemon.Host)
            .WithNetwork(front)
            .WithNetwork(back)
            .WithNetworkAliases("both")
            .WithCommand("sh", "-c", "mkdir -p /www && hostname > /www/name && exec httpd -f -p 8080 -h /www")
            .WithWaitStrategy(Wait.ForUnixContainer().UntilInternalTcpPortIsAvailable(8080))
            .Build();
        await server.StartAsync(timeout.Token);
        var interfaces = await server.ExecAsync(["sh", "-c", "ls /sys/class/net | sort | tr '\\n' ' '"], timeout.Token);
        Assert.Equal("eth0 eth1 lo ", interfaces.Stdout);

        foreach (var network in new[] { front, back })
        {
            await using var client = new ContainerBuilder("busybox:latest")
                .WithDockerEndpoint(Daemon.Host)
                .WithNetwork(network)
                .WithCommand("wget", "-qO-", "http://both:8080/name")
                .Build();
            await client.StartAsync(timeout.Token);
            Assert.Equal(0, await client.GetExitCodeAsync(timeout.Token));
            var (stdout, _) = await client.GetLogsAsync(timestampsEnabled: false, ct: timeout.Token);
            Assert.Equal(server.Id[..12] + "\n", stdout);
        }
    }

    [Fact]
    public async Task Resource_mappings_bind_mounts_tmpfs_and_volumes_are_seen_inside_the_container()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string hostDir = Path.Combine(Daemon.Root, Unique("bind"));
        Directory.CreateDirectory(hostDir);
        await File.WriteAllTextAsync(Path.Combine(hostDir, "from-host.txt"), "host file\n", timeout.Token);
        string hostFile = Path.Combine(Daemon.Root, Unique("mapped") + ".txt");
        await File.WriteAllTextAsync(hostFile, "mapped from a host file\n", timeout.Token);

        await using var volume = new VolumeBuilder()
            .WithDockerEndpoint(Daemon.Host)
            .WithName(Unique("tc-vol"))
            .Build();
        await volume.CreateAsync(timeout.Token);

        await using var writer = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(Daemon.Host)
            .WithResourceMapping(Encoding.UTF8.GetBytes("key=value\n"), "/config/app.properties")
            .WithResourceMapping(new FileInfo(hostFile), "/config/")
            .WithBindMount(hostDir, "/host")
            .WithTmpfsMount("/scratch")
            .WithVolumeMount(volume, "/vol")
            .WithCommand("sh", "-c", "cat /config/app.properties; echo written > /vol/data.txt; echo back > /host/from-container.txt; "
                + "grep -q ' /scratch tmpfs ' /proc/mounts && echo tmpfs; " + SleepUntilStopped)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("tmpfs"))
            .Build();
        await writer.StartAsync(timeout.Token);

        var (stdout, _) = await writer.GetLogsAsync(timestampsEnabled: false, ct: timeout.Token);
        Assert.Equal("key=value\ntmpfs\n", stdout);
        var mapped = await writer.ExecAsync(["cat", "/config/" + Path.GetFileName(hostFile), "/host/from-host.txt"], timeout.Token);
        Assert.Equal((0L, "mapped from a host file\nhost file\n"), (mapped.ExitCode, mapped.Stdout));
        Assert.Equal("back\n", await File.ReadAllTextAsync(Path.Combine(hostDir, "from-container.txt"), timeout.Token));
        await writer.StopAsync(timeout.Token);
        Assert.Equal(0, await writer.GetExitCodeAsync(timeout.Token));

        // The named volume outlives the container that wrote to it.
        await using var reader = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(Daemon.Host)
            .WithVolumeMount(volume, "/data", AccessMode.ReadOnly)
            .WithCommand("sh", "-c", "cat /data/data.txt; touch /data/x 2>/dev/null || echo read-only")
            .Build();
        await reader.StartAsync(timeout.Token);
        Assert.Equal(0, await reader.GetExitCodeAsync(timeout.Token));
        (stdout, _) = await reader.GetLogsAsync(timestampsEnabled: false, ct: timeout.Token);
        Assert.Equal("written\nread-only\n", stdout);
    }

    [Fact]
    public async Task Builder_settings_directory_copies_read_only_mounts_and_a_health_check_take_effect()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var source = Directory.CreateDirectory(Path.Combine(Daemon.Root, Unique("tree")));
        await File.WriteAllTextAsync(Path.Combine(source.FullName, "a.txt"), "A", timeout.Token);
        Directory.CreateDirectory(Path.Combine(source.FullName, "sub"));
        await File.WriteAllTextAsync(Path.Combine(source.FullName, "sub", "b.txt"), "B", timeout.Token);
        string single = Path.Combine(Daemon.Root, Unique("single") + ".txt");
        await File.WriteAllTextAsync(single, "single\n", timeout.Token);

        await using var container = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(Daemon.Host)
            .WithName(Unique("tc-named"))
            .WithHostname("myhost")
            .WithWorkingDirectory("/work")
            .WithExtraHost("extra.example", "10.1.2.3")
            .WithResourceMapping(source, "/mapped/")
            .WithBindMount(single, "/etc/single.txt", AccessMode.ReadOnly)
            .WithTmpfsMount("/ro", AccessMode.ReadOnly)
            .WithCreateParameterModifier(parameters => parameters.Healthcheck = new HealthcheckConfig
            {
                Test = ["CMD-SHELL", "test -f /tmp/healthy"],
                Interval = TimeSpan.FromMilliseconds(200),
            })
            .WithEntrypoint("sh", "-c")
            .WithCommand("sleep 0.3; touch /tmp/healthy; " + SleepUntilStopped)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilContainerIsHealthy())
            .Build();
        await container.StartAsync(timeout.Token);
        Assert.Equal(TestcontainersHealthStatus.Healthy, container.Health);

        var settings = await container.ExecAsync(["sh", "-c", "hostname; pwd; grep extra.example /etc/hosts"], timeout.Token);
        Assert.Equal("myhost\n/work\n10.1.2.3\textra.example\n", settings.Stdout);
        var mounts = await container.ExecAsync(["sh", "-c", "cat /mapped/a.txt /mapped/sub/b.txt /etc/single.txt; "
            + "echo x 2>/dev/null > /etc/single.txt || echo ro-file; touch /ro/x 2>/dev/null || echo ro-tmpfs"], timeout.Token);
        Assert.Equal("ABsingle\nro-file\nro-tmpfs\n", mounts.Stdout);
        await container.CopyAsync(source, "/copied", ct: timeout.Token);
        var copied = await container.ExecAsync(["sh", "-c", "find /copied | sort"], timeout.Token);
        Assert.Equal("/copied\n/copied/a.txt\n/copied/sub\n/copied/sub/b.txt\n", copied.Stdout);
        await Assert.ThrowsAnyAsync<Exception>(() => container.ReadFileAsync("/no/such/file", timeout.Token));

        var missing = await container.ExecAsync(["no-such-command"], timeout.Token);
        Assert.Equal(126L, missing.ExitCode);
        await container.PauseAsync(timeout.Token);
        var paused = await Assert.ThrowsAsync<DockerApiException>(() => container.ExecAsync(["true"], timeout.Token));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, paused.StatusCode);
        await container.UnpauseAsync(timeout.Token);
        await container.StopAsync(timeout.Token);
    }

    [Fact]
    public async Task A_container_whose_program_cannot_start_fails_its_start_with_the_runtime_error()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await using var container = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(Daemon.Host)
            .WithCommand("/no/such/binary")
            .Build();
        var error = await Assert.ThrowsAsync<DockerApiException>(() => container.StartAsync(timeout.Token));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("/no/such/binary", error.ResponseBody);
    }

    [Fact]
    public async Task Environment_and_labels_are_set_and_seen_through_the_Docker_client()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        string marker = Unique("m");
        await using var container = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(Daemon.Host)
            .WithEnvironment("GREETING", "hello world")
            .WithEnvironment(new Dictionary<string, string> { ["EMPTY"] = "", ["WITH_EQUALS"] = "a=b" })
            .WithLabel("com.example.marker", marker)
            .WithLabel("com.example.team", "berth")
            .WithCommand("sh", "-c", "echo \"$GREETING|$WITH_EQUALS|${EMPTY-unset}\"; " + SleepUntilStopped)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("hello world"))
            .Build();
        await container.StartAsync(timeout.Token);
        var (stdout, _) = await container.GetLogsAsync(timestampsEnabled: false, ct: timeout.Token);
        Assert.Equal("hello world|a=b|\n", stdout);

        using var docker = DockerClient();
        var inspect = await docker.Containers.InspectContainerAsync(container.Id, timeout.Token);
        Assert.Contains("GREETING=hello world", inspect.Config!.Env);
        Assert.Contains("WITH_EQUALS=a=b", inspect.Config!.Env);
        Assert.Contains("EMPTY=", inspect.Config!.Env);
        Assert.Equal(marker, inspect.Config!.Labels["com.example.marker"]);
        Assert.Equal("berth", inspect.Config!.Labels["com.example.team"]);
        Assert.True(inspect.State!.Running);

        var listed = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { ["com.example.marker=" + marker] = true } },
        }, timeout.Token);
        Assert.Equal(container.Id, Assert.Single(listed).ID);
        Assert.Equal(marker, listed[0].Labels["com.example.marker"]);

        var none = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { ["com.example.marker=other"] = true } },
        }, timeout.Token);
        Assert.Empty(none);
        await container.StopAsync(timeout.Token);
    }

    [Fact]
    public async Task Exec_based_wait_strategies_wait_for_a_listening_port_and_a_completed_command()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var container = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(Daemon.Host)
            .WithCommand("sh", "-c", "sleep 0.5; touch /tmp/ready; mkdir -p /www; echo up > /www/index.html; exec httpd -f -p 9090 -h /www")
            .WithWaitStrategy(Wait.ForUnixContainer()
                .UntilCommandIsCompleted("test", "-f", "/tmp/ready")
                .UntilInternalTcpPortIsAvailable(9090))
            .Build();
        await container.StartAsync(timeout.Token);

        var exec = await container.ExecAsync(["wget", "-qO-", "http://127.0.0.1:9090/index.html"], timeout.Token);
        Assert.Equal((0L, "up\n"), (exec.ExitCode, exec.Stdout));
    }

    [Fact]
    public async Task A_container_exiting_with_a_code_reports_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var container = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(Daemon.Host)
            .WithCommand("sh", "-c", "echo bye >&2; exit 3")
            .Build();
        await container.StartAsync(timeout.Token);

        Assert.Equal(3, await container.GetExitCodeAsync(timeout.Token));
        var (stdout, stderr) = await container.GetLogsAsync(timestampsEnabled: false, ct: timeout.Token);
        Assert.Equal(("", "bye\n"), (stdout, stderr));
        using var docker = DockerClient();
        var inspect = await docker.Containers.InspectContainerAsync(container.Id, timeout.Token);
        Assert.Equal(("exited", 3L), (inspect.State!.Status, inspect.State!.ExitCode));
    }

    [Fact]
    public async Task An_auto_removed_container_is_gone_after_it_exits_and_disposes_cleanly()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var container = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(Daemon.Host)
            .WithAutoRemove(true)
            .WithCommand("sh", "-c", "echo started; " + SleepUntilStopped)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("started"))
            .Build();
        await container.StartAsync(timeout.Token);
        string id = container.Id;

        using var docker = DockerClient();
        var inspect = await docker.Containers.InspectContainerAsync(id, timeout.Token);
        Assert.True(inspect.HostConfig!.AutoRemove);
        await container.StopAsync(timeout.Token);

        bool gone = false;
        for (int i = 0; i < 100 && !gone; i++)
        {
            try { await docker.Containers.InspectContainerAsync(id, timeout.Token); await Task.Delay(50, timeout.Token); }
            catch (DockerContainerNotFoundException) { gone = true; }
        }
        Assert.True(gone, "the auto-removed container is still there");
        await container.DisposeAsync();
    }

    [Fact]
    public async Task A_container_is_paused_and_unpaused()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var container = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(Daemon.Host)
            .WithCommand("sh", "-c", SleepUntilStopped)
            .Build();
        await container.StartAsync(timeout.Token);

        await container.PauseAsync(timeout.Token);
        Assert.Equal(TestcontainersStates.Paused, container.State);
        using var docker = DockerClient();
        Assert.True((await docker.Containers.InspectContainerAsync(container.Id, timeout.Token)).State!.Paused);
        await container.UnpauseAsync(timeout.Token);
        Assert.Equal(TestcontainersStates.Running, container.State);
        var exec = await container.ExecAsync(["echo", "alive"], timeout.Token);
        Assert.Equal((0L, "alive\n"), (exec.ExitCode, exec.Stdout));
        await container.StopAsync(timeout.Token);
    }

    [Fact]
    public async Task A_stopped_container_s_events_are_the_ones_dockerd_publishes()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        string marker = Unique("ev");
        long since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        await using var container = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(Daemon.Host)
            .WithLabel("com.example.events", marker)
            .WithCommand("sh", "-c", "echo up; " + SleepUntilStopped)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("up"))
            .Build();
        await container.StartAsync(timeout.Token);
        using var docker = DockerClient();
        var top = await docker.Containers.ListProcessesAsync(container.Id, new ContainerListProcessesParameters(), timeout.Token);
        Assert.Contains("PID", top.Titles);
        await container.StopAsync(timeout.Token);

        // As the reference dockerd: top is an event, the stop signal is a kill event, and the stop ends with a stop
        // event after the die.
        var events = new Collected<Message>();
        await docker.System.MonitorEventsAsync(new ContainerEventsParameters
        {
            Since = since.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Until = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { ["com.example.events=" + marker] = true } },
        }, events, timeout.Token);
        Assert.Equal(["create", "start", "top", "kill 15", "die 0", "stop"],
            events.Items.Where(m => m.Type == "container")
                .Select(m => m.Action + (m.Actor.Attributes.TryGetValue("signal", out var signal) ? " " + signal : "")
                    + (m.Actor.Attributes.TryGetValue("exitCode", out var code) ? " " + code : "")));
    }

    /// <summary>Collects what a Docker.DotNet stream reports, synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class Collected<T> : IProgress<T>
    {
        private readonly List<T> _items = [];

        public void Report(T value)
        {
            lock (_items) _items.Add(value);
        }

        public List<T> Items
        {
            get
            {
                lock (_items) return [.. _items];
            }
        }
    }

    [Fact]
    public async Task The_Docker_client_reads_the_system_and_an_image()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        using var docker = DockerClient();
        await docker.System.PingAsync(timeout.Token);
        var version = await docker.System.GetVersionAsync(timeout.Token);
        Assert.False(string.IsNullOrEmpty(version.APIVersion));
        Assert.Equal("linux", version.Os);
        var info = await docker.System.GetSystemInfoAsync(timeout.Token);
        Assert.Equal("linux", info.OSType);
        Assert.True(info.Images >= 1);
        Assert.False(string.IsNullOrEmpty(info.ID));

        var image = await docker.Images.InspectImageAsync("busybox:latest", timeout.Token);
        Assert.StartsWith("sha256:", image.ID);
        Assert.Contains("busybox:latest", image.RepoTags);
        Assert.Equal(["sh"], image.Config!.Cmd);
        var images = await docker.Images.ListImagesAsync(new ImagesListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["reference"] = new Dictionary<string, bool> { ["busybox:latest"] = true } },
        }, timeout.Token);
        Assert.Equal(image.ID, Assert.Single(images).ID);
        await Assert.ThrowsAsync<DockerImageNotFoundException>(() => docker.Images.InspectImageAsync("no-such-image:1", timeout.Token));
    }
}
