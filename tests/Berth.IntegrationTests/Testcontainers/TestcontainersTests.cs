using Berth.IntegrationTests.Build;
using Berth.IntegrationTests.Infrastructure;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;

namespace Berth.IntegrationTests.Testcontainers;

/// <summary>
/// Testcontainers for .NET (4.16, over Docker.DotNet) against berthd, as its users write their tests: a container with
/// a published port and a wait strategy, exec, file copies, logs, and an image built from a Dockerfile.
/// </summary>
public sealed class TestcontainersTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    static TestcontainersTests() => TestcontainersDefaults.Apply();

    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task A_web_server_container_is_waited_for_reached_on_its_port_and_worked_with()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var container = new ContainerBuilder("busybox:latest")
            .WithDockerEndpoint(Daemon.Host)
            .WithCommand("sh", "-c", "mkdir -p /www && echo hello > /www/index.html && echo serving && exec httpd -f -p 8080 -h /www")
            .WithPortBinding(8080, assignRandomHostPort: true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(request => request.ForPort(8080).ForPath("/index.html")))
            .Build();

        await container.StartAsync(timeout.Token);

        using var http = new HttpClient();
        string body = await http.GetStringAsync($"http://127.0.0.1:{container.GetMappedPublicPort(8080)}/index.html", timeout.Token);
        Assert.Equal("hello\n", body);
        var exec = await container.ExecAsync(["sh", "-c", "cat /www/index.html; exit 4"], timeout.Token);
        Assert.Equal((4L, "hello\n"), (exec.ExitCode, exec.Stdout));
        await container.CopyAsync("copied in"u8.ToArray(), "/tmp/copied.txt", ct: timeout.Token);
        Assert.Equal("copied in"u8.ToArray(), await container.ReadFileAsync("/tmp/copied.txt", timeout.Token));
        var (stdout, _) = await container.GetLogsAsync(timestampsEnabled: false, ct: timeout.Token);
        Assert.Contains("serving", stdout);
        await container.StopAsync(timeout.Token);
        Assert.Equal(DotNet.Testcontainers.Containers.TestcontainersStates.Exited, container.State);
    }

    [Fact]
    public async Task An_image_built_from_a_Dockerfile_runs_and_its_output_is_read()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var context = new BuildContextDirectory("FROM busybox\nARG GREETING\nCOPY message.txt /\nRUN echo \"$GREETING $(cat /message.txt)\" > /out\nCMD [\"sh\", \"-c\", \"cat /out; exec sleep 60\"]\n")
            .Write("message.txt", "from testcontainers");
        string name = "tc-built-" + Guid.NewGuid().ToString("N")[..8] + ":1";
        var image = new ImageFromDockerfileBuilder()
            .WithDockerEndpoint(Daemon.Host)
            .WithDockerfileDirectory(context.Path)
            .WithName(name)
            .WithBuildArgument("GREETING", "hello")
            .WithCleanUp(false)
            .Build();

        await image.CreateAsync(timeout.Token);
        await using var container = new ContainerBuilder(image)
            .WithDockerEndpoint(Daemon.Host)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilMessageIsLogged("hello"))
            .Build();
        await container.StartAsync(timeout.Token);

        var (stdout, _) = await container.GetLogsAsync(timestampsEnabled: false, ct: timeout.Token);
        Assert.Equal("hello from testcontainers\n", stdout);
    }
}
