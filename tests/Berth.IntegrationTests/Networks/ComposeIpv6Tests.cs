using Berth.IntegrationTests.Compose;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Networks;

/// <summary>enable_ipv6 of a compose network (file format 2.x): berth compose and docker-compose 1.29 make it dual-stack.</summary>
public sealed class ComposeIpv6Tests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private static (string File, string Prefix) ComposeFile()
    {
        int a = Random.Shared.Next(100, 250), b = Random.Shared.Next(1, 250), c = Random.Shared.Next(0x1000, 0xffff);
        string prefix = $"fd{a:x2}:{c:x4}::";
        return ($$"""
            version: "2.4"
            services:
              web:
                image: busybox
                stop_grace_period: 1s
                command: ["sleep", "300"]
                networks: [net6]
              client:
                image: busybox
                stop_grace_period: 1s
                command: ["sleep", "300"]
                networks: [net6]
            networks:
              net6:
                enable_ipv6: true
                ipam:
                  config:
                    - subnet: 10.{{a}}.{{b}}.0/24
                    - subnet: {{prefix}}/64
            """, prefix);
    }

    [Fact]
    public async Task Berth_compose_makes_a_dual_stack_network_whose_services_ping_each_other_over_ipv6()
    {
        var (file, prefix) = ComposeFile();
        await using var project = new ComposeProjectDirectory(Daemon, file);
        var up = await project.ComposeAsync("up", "-d");
        Assert.True(up.ExitCode == 0, up.ToString());
        var inspect = (await Daemon.DockerAsync("network", "inspect", "-f", "{{.EnableIPv6}} {{len .IPAM.Config}}", project.Name + "_net6")).EnsureSuccess();
        Assert.Equal("true 2\n", inspect.Stdout);
        var ping = await project.ComposeAsync("exec", "-T", "client", "ping6", "-c", "1", "-W", "5", "web");
        Assert.True(ping.ExitCode == 0, ping.ToString());
        Assert.Contains($"({prefix}", ping.Stdout);
        var down = await project.ComposeAsync("down", "-t", "1");
        Assert.True(down.ExitCode == 0, down.ToString());
    }

    [Fact]
    public async Task Docker_compose_1_29_makes_the_same_network()
    {
        var (file, prefix) = ComposeFile();
        var daemon = Daemon;
        string project = Path.Combine(daemon.Root, "compose6-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(Path.Combine(project, "docker-compose.yml"), file);
        string name = Path.GetFileName(project);
        string[] compose = ["-f", Path.Combine(project, "docker-compose.yml"), "--project-directory", project, "-p", name];
        try
        {
            var up = await Commands.RunAsync("/usr/bin/docker-compose", [.. compose, "up", "-d"], daemon.Env, timeout: TimeSpan.FromMinutes(2));
            Assert.True(up.ExitCode == 0, up.ToString());
            var inspect = (await daemon.DockerAsync("network", "inspect", "-f", "{{.EnableIPv6}} {{json .IPAM.Config}}", name + "_net6")).EnsureSuccess();
            Assert.StartsWith("true ", inspect.Stdout);
            Assert.Contains($"\"Subnet\":\"{prefix}/64\"", inspect.Stdout);
            var ping = await daemon.DockerAsync("exec", $"{name}_client_1", "ping6", "-c", "1", "-W", "5", "web");
            Assert.True(ping.ExitCode == 0, ping.ToString());
            Assert.Contains($"({prefix}", ping.Stdout);
        }
        finally
        {
            (await Commands.RunAsync("/usr/bin/docker-compose", [.. compose, "down", "-t", "1"], daemon.Env, timeout: TimeSpan.FromMinutes(1))).EnsureSuccess();
        }
    }
}
