using Berth.IntegrationTests.Infrastructure;
using static Berth.IntegrationTests.Swarm.SwarmTestSupport;

namespace Berth.IntegrationTests.Swarm;

/// <summary>
/// Stacks on one berthd: `docker stack deploy` (the real docker CLI) and `berth stack deploy` of a two-service compose
/// file, the stack's overlay network and labels, services finding each other by their compose names, redeploy,
/// --prune, and stack ls/services/ps/rm as docker prints them.
/// </summary>
public sealed class StackTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("berth-stack-").FullName;

    private BerthDaemon Daemon => fixture.Daemon;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteCompose(string text)
    {
        string path = Path.Combine(_directory, Guid.NewGuid().ToString("N")[..6] + ".yml");
        File.WriteAllText(path, text);
        return path;
    }

    private static string TwoServices(int port) => $$"""
        services:
          web:
            image: busybox
            command: ["sh", "-c", "echo hello > /tmp/index.html; exec httpd -f -p 80 -h /tmp"]
            stop_grace_period: 1s
            ports:
              - "{{port}}:80"
            networks:
              default:
                aliases: [site]
            deploy:
              replicas: 2
              labels:
                tier: front
              restart_policy:
                condition: on-failure
                delay: 2s
          client:
            image: busybox
            command: sleep 1000
            stop_grace_period: 1s
            environment:
              MODE: test
        """;

    [Fact]
    public async Task Docker_stack_deploy_makes_the_stack_and_stack_rm_removes_it()
    {
        await InitAsync(Daemon);
        string stack = UniqueName("st");
        int port = FreePort();
        string file = WriteCompose(TwoServices(port));
        var deployed = (await Daemon.DockerAsync("stack", "deploy", "-c", file, stack)).EnsureSuccess();
        Assert.Contains($"Creating network {stack}_default\n", deployed.Stdout);
        Assert.Contains($"Creating service {stack}_web\n", deployed.Stdout);
        Assert.Contains($"Creating service {stack}_client\n", deployed.Stdout);
        try
        {
            Assert.Equal($"overlay {{\"com.docker.stack.namespace\":\"{stack}\"}}\n",
                (await Daemon.DockerAsync("network", "inspect", $"{stack}_default", "--format", "{{.Driver}} {{json .Labels}}")).Stdout);
            Assert.Contains($"{stack} 2\n", (await Daemon.DockerAsync("stack", "ls", "--format", "{{.Name}} {{.Services}}")).Stdout);
            await WaitForAsync(Daemon, s => s.Contains($"{stack}_web 2/2") && s.Contains($"{stack}_client 1/1"),
                "stack", "services", stack, "--format", "{{.Name}} {{.Replicas}}");
            Assert.Equal($"front {stack} busybox on-failure [site web]\n", (await Daemon.DockerAsync("service", "inspect", $"{stack}_web", "--format",
                "{{index .Spec.Labels \"tier\"}} {{index .Spec.TaskTemplate.ContainerSpec.Labels \"com.docker.stack.namespace\"}} " +
                "{{index .Spec.Labels \"com.docker.stack.image\"}} {{.Spec.TaskTemplate.RestartPolicy.Condition}} " +
                "{{range .Spec.TaskTemplate.Networks}}{{.Aliases}}{{end}}")).Stdout);
            var tasks = (await Daemon.DockerAsync("stack", "ps", stack, "--format", "{{.Name}} {{.DesiredState}}")).EnsureSuccess().Stdout;
            Assert.Contains($"{stack}_web.1 Running", tasks);
            Assert.Contains($"{stack}_client.1 Running", tasks);

            // The stack's services find each other by their compose names.
            string client = (await RunningContainersAsync(Daemon, $"{stack}_client")).Single();
            var fetched = (await Daemon.DockerAsync("exec", client, "sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 web 80")).EnsureSuccess();
            Assert.Contains("hello", fetched.Stdout);
            Assert.Equal("hello\n", await GetAsync(port, "/index.html"));

            var again = (await Daemon.DockerAsync("stack", "deploy", "-c", file, stack)).EnsureSuccess();
            Assert.Matches($"Updating service {stack}_web \\(id: [0-9a-z]{{25}}\\)\n", again.Stdout);
            Assert.DoesNotContain("Creating network", again.Stdout);
        }
        finally
        {
            var removed = (await Daemon.DockerAsync("stack", "rm", stack)).EnsureSuccess();
            Assert.Equal($"Removing service {stack}_client\nRemoving service {stack}_web\nRemoving network {stack}_default\n", removed.Stdout);
        }
        Assert.Contains($"Nothing found in stack: {stack}", (await Daemon.DockerAsync("stack", "services", stack)).Stderr);
        Assert.Contains("not found", (await Daemon.DockerAsync("network", "inspect", $"{stack}_default")).Stderr);
    }

    [Fact]
    public async Task Berth_stack_deploy_prunes_and_its_listings_match_dockers()
    {
        await InitAsync(Daemon);
        string stack = UniqueName("bs");
        string file = WriteCompose(TwoServices(FreePort()));
        var deployed = (await Daemon.BerthAsync("stack", "deploy", "-c", file, stack)).EnsureSuccess();
        Assert.Contains($"Creating network {stack}_default\n", deployed.Stdout);
        Assert.Contains($"Creating service {stack}_web\n", deployed.Stdout);
        try
        {
            await WaitForAsync(Daemon, s => s.Contains($"{stack}_web 2/2") && s.Contains($"{stack}_client 1/1"),
                "stack", "services", stack, "--format", "{{.Name}} {{.Replicas}}");
            Assert.Equal((await Daemon.DockerAsync("stack", "ls")).Stdout, (await Daemon.BerthAsync("stack", "ls")).Stdout);
            Assert.Equal((await Daemon.DockerAsync("stack", "services", stack)).Stdout, (await Daemon.BerthAsync("stack", "services", stack)).Stdout);
            const string taskFormat = "{{.Name}} {{.Image}} {{.DesiredState}}";
            Assert.Equal((await Daemon.DockerAsync("stack", "ps", stack, "--format", taskFormat)).Stdout,
                (await Daemon.BerthAsync("stack", "ps", stack, "--format", taskFormat)).Stdout);
            Assert.Equal("[\"MODE=test\"]\n", (await Daemon.DockerAsync("service", "inspect", $"{stack}_client", "--format",
                "{{json .Spec.TaskTemplate.ContainerSpec.Env}}")).Stdout);

            // The client goes from the file: --prune removes its service, web is updated in place.
            string webOnly = WriteCompose(TwoServices(FreePort()).Split("  client:")[0]);
            var pruned = (await Daemon.BerthAsync("stack", "deploy", "--prune", "-c", webOnly, stack)).EnsureSuccess();
            Assert.Contains($"Removing service {stack}_client\n", pruned.Stdout);
            Assert.Contains($"Updating service {stack}_web (id: ", pruned.Stdout);
            Assert.Equal($"{stack}_web\n", (await Daemon.DockerAsync("stack", "services", stack, "--format", "{{.Name}}")).Stdout);
        }
        finally
        {
            var removed = (await Daemon.BerthAsync("stack", "rm", stack)).EnsureSuccess();
            Assert.Contains($"Removing network {stack}_default\n", removed.Stdout);
        }
        var empty = await Daemon.BerthAsync("stack", "ps", stack);
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains($"nothing found in stack: {stack}", empty.Stderr);
        var none = (await Daemon.BerthAsync("stack", "rm", stack)).EnsureSuccess();
        Assert.Contains($"Nothing found in stack: {stack}", none.Stderr);
    }

    [Fact]
    public async Task Both_clis_deploy_a_stacks_secrets_configs_and_volumes_alike()
    {
        await InitAsync(Daemon);
        File.WriteAllText(Path.Combine(_directory, "token.txt"), "s3cret\n");
        string file = WriteCompose("""
            services:
              app:
                image: busybox
                command: sleep 1000
                stop_grace_period: 1s
                secrets:
                  - token
                  - {source: token, target: /etc/token.copy, mode: 0400}
                configs:
                  - settings
                volumes:
                  - data:/data
            secrets:
              token: {file: ./token.txt}
            configs:
              settings: {file: ./token.txt}
            volumes:
              data: {labels: {purpose: test}}
            """);
        const string specFormat = "{{range .Spec.TaskTemplate.ContainerSpec.Secrets}}{{.SecretName}} {{json .File}};{{end}}"
            + "{{range .Spec.TaskTemplate.ContainerSpec.Configs}}{{.ConfigName}} {{json .File}};{{end}}"
            + "{{range .Spec.TaskTemplate.ContainerSpec.Mounts}}{{.Source}} {{.Target}} {{json .VolumeOptions.Labels}}{{end}}";
        var specs = new List<string>();
        foreach (var (cli, stack) in new[] { ("docker", UniqueName("ds")), ("berth", UniqueName("bs")) })
        {
            var deploy = cli == "docker" ? Daemon.DockerAsync("stack", "deploy", "-c", file, stack) : Daemon.BerthAsync("stack", "deploy", "-c", file, stack);
            var deployed = (await deploy).EnsureSuccess();
            Assert.Contains($"Creating secret {stack}_token\n", deployed.Stdout);
            Assert.Contains($"Creating config {stack}_settings\n", deployed.Stdout);
            try
            {
                specs.Add((await Daemon.DockerAsync("service", "inspect", $"{stack}_app", "--format", specFormat)).EnsureSuccess().Stdout.Replace(stack, "STACK"));
                await WaitForAsync(Daemon, o => o.Contains($"{stack}_app 1/1"), "stack", "services", stack, "--format", "{{.Name}} {{.Replicas}}");
                string task = (await RunningContainersAsync(Daemon, $"{stack}_app")).Single();
                var seen = (await Daemon.DockerAsync("exec", task, "sh", "-c",
                    "cat /run/secrets/token /settings; stat -c %a /etc/token.copy; touch /data/x && echo writable")).EnsureSuccess();
                Assert.Equal("s3cret\ns3cret\n400\nwritable\n", seen.Stdout);
                Assert.Equal($"{{\"com.docker.stack.namespace\":\"{stack}\",\"purpose\":\"test\"}}\n",
                    (await Daemon.DockerAsync("volume", "inspect", $"{stack}_data", "--format", "{{json .Labels}}")).Stdout);
                // A redeploy finds them and leaves them be.
                var again = cli == "docker" ? Daemon.DockerAsync("stack", "deploy", "-c", file, stack) : Daemon.BerthAsync("stack", "deploy", "-c", file, stack);
                Assert.DoesNotContain("Creating secret", (await again).EnsureSuccess().Stdout);
            }
            finally
            {
                var removed = (await Daemon.BerthAsync("stack", "rm", stack)).EnsureSuccess();
                Assert.Contains($"Removing secret {stack}_token\n", removed.Stdout);
                Assert.Contains($"Removing config {stack}_settings\n", removed.Stdout);
            }
        }
        // The docker CLI lists two references to one secret in no fixed order (it goes through a Go map): compare as sets.
        Assert.Equal(specs[0].Split(';').Order(), specs[1].Split(';').Order());
    }
}
