using System.Net;
using System.Text;
using Berth.IntegrationTests.Infrastructure;
using static Berth.IntegrationTests.Swarm.SwarmTestSupport;

namespace Berth.IntegrationTests.Swarm;

/// <summary>
/// Overlay networks of a single-node swarm, driven by the real docker CLI: created only in a swarm, shown as Docker
/// shows them, attachable or not, refused for services when unknown or local, removed with the swarm; two services on
/// one overlay reaching each other by service name through the embedded DNS (traffic stays on the test's bridge).
/// </summary>
public sealed class OverlayNetworkTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private const string NotManager =
        "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again.";

    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Overlays_need_a_swarm_and_go_when_it_is_left()
    {
        var state = (await Daemon.DockerAsync("info", "--format", "{{.Swarm.LocalNodeState}}")).EnsureSuccess();
        if (state.Stdout.Trim() == "active") (await Daemon.DockerAsync("swarm", "leave", "--force")).EnsureSuccess();
        string name = UniqueName("ovl");
        var refused = await Daemon.DockerAsync("network", "create", "-d", "overlay", name);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains(NotManager, refused.Stderr);
        using (var raw = await Daemon.Http.PostAsync("/v1.41/networks/create",
                   new StringContent($$"""{"Name":"{{name}}","Driver":"overlay"}""", Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.InternalServerError, raw.StatusCode);

        await InitAsync(Daemon);
        (await Daemon.DockerAsync("network", "create", "-d", "overlay", name)).EnsureSuccess();
        (await Daemon.DockerAsync("swarm", "leave", "--force")).EnsureSuccess();
        var gone = await Daemon.DockerAsync("network", "inspect", name);
        Assert.Contains("not found", gone.Stderr);
        await InitAsync(Daemon);
    }

    [Fact]
    public async Task An_overlay_looks_like_dockers_and_only_an_attachable_one_takes_plain_containers()
    {
        await InitAsync(Daemon);
        string plain = UniqueName("ovl"), attachable = UniqueName("att");
        string id = (await Daemon.DockerAsync("network", "create", "-d", "overlay", "--subnet", "10.231.7.0/24", plain)).EnsureSuccess().Stdout.Trim();
        Assert.Matches("^[0-9a-z]{25}$", id);
        (await Daemon.DockerAsync("network", "create", "-d", "overlay", "--attachable", "--label", "a=b", attachable)).EnsureSuccess();
        try
        {
            Assert.Equal("overlay swarm false false 10.231.7.0/24 10.231.7.1 null null true\n", (await Daemon.DockerAsync("network", "inspect", plain, "--format",
                "{{.Driver}} {{.Scope}} {{.Attachable}} {{.Ingress}} {{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}} {{json .Labels}} {{json .Containers}} " +
                "{{index .Options \"com.docker.network.driver.overlay.vxlanid_list\" | ne \"\"}}")).EnsureSuccess().Stdout);
            Assert.Equal("true {\"a\":\"b\"}\n", (await Daemon.DockerAsync("network", "inspect", attachable, "--format", "{{.Attachable}} {{json .Labels}}")).Stdout);
            Assert.Contains($"{plain} overlay swarm",
                (await Daemon.DockerAsync("network", "ls", "--filter", "driver=overlay", "--format", "{{.Name}} {{.Driver}} {{.Scope}}")).Stdout);
            using (var local = await Daemon.Http.GetAsync($"/v1.41/networks/{plain}?scope=local"))
                Assert.Equal(HttpStatusCode.NotFound, local.StatusCode);

            var refused = await Daemon.DockerAsync("run", "--rm", "--network", plain, "busybox", "true");
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains($"Could not attach to network {plain}: rpc error: code = PermissionDenied desc = network {plain} not manually attachable", refused.Stderr);
            var attached = (await Daemon.DockerAsync("run", "--rm", "--network", attachable, "busybox", "ip", "-4", "-o", "addr", "show", "eth0")).EnsureSuccess();
            Assert.Contains("inet 10.", attached.Stdout);

            var ingress = await Daemon.DockerAsync("network", "create", "-d", "overlay", "--ingress", UniqueName("ing"));
            Assert.NotEqual(0, ingress.ExitCode);
        }
        finally
        {
            await Daemon.DockerAsync("network", "rm", plain, attachable);
        }
    }

    [Fact]
    public async Task Services_refuse_unknown_and_local_networks_and_a_used_overlay_stays()
    {
        await InitAsync(Daemon);
        var unknown = await Daemon.DockerAsync("service", "create", "-d", "--network", "nosuch", "busybox", "sleep", "100");
        Assert.Contains("network nosuch not found", unknown.Stderr);
        string bridge = UniqueName("br");
        (await Daemon.DockerAsync("network", "create", bridge)).EnsureSuccess();
        try
        {
            // The docker CLI looks networks up in the swarm scope: a local one is not found.
            Assert.Contains($"network {bridge} not found", (await Daemon.DockerAsync("service", "create", "-d", "--network", bridge, "busybox")).Stderr);
            using var raw = await Daemon.Http.PostAsync("/v1.41/services/create", new StringContent(
                $$$"""{"Name":"{{{UniqueName("s")}}}","TaskTemplate":{"ContainerSpec":{"Image":"busybox"},"Networks":[{"Target":"{{{bridge}}}"}]}}""",
                Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Forbidden, raw.StatusCode);
            Assert.Contains($"The network {bridge} cannot be used with services. Only networks scoped to the swarm can be used, such as those created with the overlay driver.",
                await raw.Content.ReadAsStringAsync());
        }
        finally
        {
            await Daemon.DockerAsync("network", "rm", bridge);
        }

        string overlay = UniqueName("ovl"), service = UniqueName("user");
        (await Daemon.DockerAsync("network", "create", "-d", "overlay", overlay)).EnsureSuccess();
        (await Daemon.DockerAsync("service", "create", "-d", "--name", service, "--network", overlay, "--stop-grace-period", "1s", "busybox", "sleep", "1000")).EnsureSuccess();
        var inUse = await Daemon.DockerAsync("network", "rm", overlay);
        Assert.Contains("is in use by service", inUse.Stderr);
        (await Daemon.DockerAsync("service", "rm", service)).EnsureSuccess();
        // Its task may still be stopping: the network goes at once all the same, as in swarm.
        (await Daemon.DockerAsync("network", "rm", overlay)).EnsureSuccess();
    }

    [Fact]
    public async Task Two_services_on_an_overlay_reach_each_other_by_service_name()
    {
        await InitAsync(Daemon);
        string overlay = UniqueName("ovl"), web = UniqueName("web"), client = UniqueName("cli");
        int port = FreePort();
        (await Daemon.DockerAsync("network", "create", "-d", "overlay", overlay)).EnsureSuccess();
        try
        {
            (await Daemon.DockerAsync("service", "create", "-d", "--name", web, "--replicas", "2", "--network", $"name={overlay},alias=site",
                "--stop-grace-period", "1s", "-p", $"{port}:80", "busybox", "sh", "-c", "echo hello > /tmp/index.html; exec httpd -f -p 80 -h /tmp")).EnsureSuccess();
            (await Daemon.DockerAsync("service", "create", "-d", "--name", client, "--network", overlay, "--endpoint-mode", "dnsrr",
                "--stop-grace-period", "1s", "busybox", "sleep", "1000")).EnsureSuccess();
            await WaitForAsync(Daemon, s => s.Trim() == "2/2", "service", "ls", "--filter", "name=" + web, "--format", "{{.Replicas}}");
            await WaitForAsync(Daemon, s => s.Trim() == "1/1", "service", "ls", "--filter", "name=" + client, "--format", "{{.Replicas}}");

            var webContainers = await RunningContainersAsync(Daemon, web);
            var webIps = new List<string>();
            foreach (string container in webContainers)
                webIps.Add((await Daemon.DockerAsync("inspect", container, "--format", $"{{{{(index .NetworkSettings.Networks \"{overlay}\").IPAddress}}}}")).EnsureSuccess().Stdout.Trim());
            string clientContainer = (await RunningContainersAsync(Daemon, client)).Single();

            foreach (string name in new[] { web, "tasks." + web, "site" })
            {
                var lookup = (await Daemon.DockerAsync("exec", clientContainer, "nslookup", name)).EnsureSuccess();
                foreach (string ip in webIps) Assert.Contains("Address: " + ip, lookup.Stdout);
            }
            var fetched = (await Daemon.DockerAsync("exec", clientContainer, "sh", "-c", $"printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 {web} 80")).EnsureSuccess();
            Assert.Contains("hello", fetched.Stdout);
            Assert.Equal("hello\n", await GetAsync(port, "/index.html"));

            string task = (await Daemon.DockerAsync("service", "ps", "-q", "--filter", "desired-state=running", web)).EnsureSuccess().Stdout.Split('\n')[0];
            var attachment = (await Daemon.DockerAsync("inspect", task, "--format",
                "{{range .NetworksAttachments}}{{.Network.Spec.Name}} {{.Network.Spec.DriverConfiguration.Name}} {{index .Addresses 0}}{{end}}")).EnsureSuccess().Stdout;
            Assert.Matches($"^{overlay} overlay 10\\.[0-9.]+/[0-9]+\n$", attachment);
            Assert.Equal($"[{{\"Target\":\"{(await Daemon.DockerAsync("network", "inspect", overlay, "--format", "{{.Id}}")).Stdout.Trim()}\",\"Aliases\":[\"site\"]}}]\n",
                (await Daemon.DockerAsync("service", "inspect", web, "--format", "{{json .Spec.TaskTemplate.Networks}}")).Stdout);
        }
        finally
        {
            await Daemon.DockerAsync("service", "rm", web, client);
            await Daemon.DockerAsync("network", "rm", overlay);
        }
    }
}
