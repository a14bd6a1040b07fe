using Berth.IntegrationTests.Infrastructure;
using static Berth.IntegrationTests.Swarm.SwarmTestSupport;

namespace Berth.IntegrationTests.Swarm;

/// <summary>Swarm secrets and configs on one berthd, with the real docker CLI and berth: the objects themselves, and
/// the files a service's tasks get from them.</summary>
public sealed class SecretTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Secrets_and_configs_are_created_from_files_and_stdin_listed_inspected_and_removed()
    {
        await InitAsync(Daemon);
        string secret = UniqueName("sec"), piped = UniqueName("pip"), config = UniqueName("cfg");
        string file = Path.Combine(Daemon.Root, secret + ".txt");
        await File.WriteAllTextAsync(file, "from a file");
        string id = (await Daemon.DockerAsync("secret", "create", "--label", "team=a", secret, file)).EnsureSuccess().Stdout.Trim();
        Assert.Matches("^[0-9a-z]{25}$", id);
        (await Daemon.BerthWithInputAsync("from stdin", "secret", "create", piped, "-")).EnsureSuccess();
        (await Daemon.DockerWithInputAsync("key=value\n", "config", "create", config, "-")).EnsureSuccess();

        var again = await Daemon.BerthWithInputAsync("x", "secret", "create", secret, "-");
        Assert.Equal($"Error response from daemon: rpc error: code = AlreadyExists desc = secret {secret} already exists\n", again.Stderr);
        var badName = await Daemon.DockerWithInputAsync("x", "secret", "create", "bad name", "-");
        Assert.Contains("invalid name, only 64 [a-zA-Z0-9-_.] characters allowed", badName.Stderr);

        foreach (var cli in new Func<string[], Task<CommandResult>>[] { Daemon.DockerAsync, Daemon.BerthAsync })
        {
            Assert.Equal($"{secret}\n", (await cli(["secret", "ls", "--filter", "label=team=a", "--format", "{{.Name}}"])).EnsureSuccess().Stdout);
            Assert.Equal($"{id} {secret} \n", (await cli(["secret", "ls", "--filter", "name=" + secret, "--format", "{{.ID}} {{.Name}} {{.Driver}}"])).Stdout);
            var spec = (await cli(["secret", "inspect", "--format", "{{json .Spec}}", secret])).EnsureSuccess().Stdout;
            Assert.Equal($"{{\"Name\":\"{secret}\",\"Labels\":{{\"team\":\"a\"}}}}\n", spec);
            Assert.Contains("Data:\nkey=value\n", (await cli(["config", "inspect", "--pretty", config])).EnsureSuccess().Stdout);
            var missing = await cli(["secret", "inspect", "nope" + secret]);
            Assert.Equal($"Error response from daemon: secret nope{secret} not found\n", missing.Stderr);
        }
        Assert.Equal(
            (await Daemon.DockerAsync("config", "inspect", config)).EnsureSuccess().Stdout,
            (await Daemon.BerthAsync("config", "inspect", config)).EnsureSuccess().Stdout);

        Assert.Equal($"{secret}\n{piped}\n", (await Daemon.BerthAsync("secret", "rm", secret, piped)).EnsureSuccess().Stdout);
        Assert.Equal($"{config}\n", (await Daemon.DockerAsync("config", "rm", config)).EnsureSuccess().Stdout);
        Assert.Equal("", (await Daemon.DockerAsync("secret", "ls", "-q", "--filter", "name=" + secret)).Stdout);
    }

    [Fact]
    public async Task A_services_task_reads_its_secret_and_config_as_files_and_objects_in_use_are_not_removed()
    {
        await InitAsync(Daemon);
        string secret = UniqueName("tok"), config = UniqueName("app"), service = UniqueName("reader");
        (await Daemon.DockerWithInputAsync("s3cret", "secret", "create", secret, "-")).EnsureSuccess();
        (await Daemon.BerthWithInputAsync("k=v\n", "config", "create", config, "-")).EnsureSuccess();

        var unknown = await Daemon.DockerAsync("service", "create", "-d", "--secret", "nope" + secret, "busybox", "true");
        Assert.Contains($"secret not found: nope{secret}", unknown.Stderr);

        (await Daemon.BerthAsync("service", "create", "-d", "--name", service, "--stop-grace-period", "1s",
            "--secret", $"source={secret},target=token,uid=1,gid=2,mode=0400",
            "--config", $"source={config},target=/etc/app.conf,mode=0640",
            "busybox", "sleep", "1000")).EnsureSuccess();
        await WaitForAsync(Daemon, s => s.Trim() == "1/1", "service", "ls", "--filter", "name=" + service, "--format", "{{.Replicas}}");
        string container = (await RunningContainersAsync(Daemon, service)).Single();
        var read = (await Daemon.DockerAsync("exec", container, "sh", "-c",
            "cat /run/secrets/token; echo; stat -c '%u %g %a' /run/secrets/token; cat /etc/app.conf; stat -c '%u %g %a' /etc/app.conf")).EnsureSuccess();
        Assert.Equal("s3cret\n1 2 400\nk=v\n0 0 640\n", read.Stdout);
        var write = await Daemon.DockerAsync("exec", container, "sh", "-c", "echo x > /run/secrets/token");
        Assert.Contains("Read-only file system", write.Stderr);

        var inUse = await Daemon.DockerAsync("secret", "rm", secret);
        Assert.Equal($"Error response from daemon: rpc error: code = InvalidArgument desc = secret '{secret}' is in use by the following service: {service}\n", inUse.Stderr);
        Assert.Contains($"config '{config}' is in use by the following service: {service}", (await Daemon.BerthAsync("config", "rm", config)).Stderr);

        (await Daemon.DockerAsync("service", "rm", service)).EnsureSuccess();
        await WaitForAsync(Daemon, s => s.Trim().Length == 0, "ps", "-aq", "--filter", "label=com.docker.swarm.service.name=" + service);
        string taskFiles = Path.Combine(Daemon.DataRoot, "swarm", "task-files");
        Assert.True(!Directory.Exists(taskFiles) || !Directory.EnumerateFileSystemEntries(taskFiles).Any(), "the task's files are removed with its container");
        (await Daemon.DockerAsync("secret", "rm", secret)).EnsureSuccess();
        (await Daemon.BerthAsync("config", "rm", config)).EnsureSuccess();
    }
}
