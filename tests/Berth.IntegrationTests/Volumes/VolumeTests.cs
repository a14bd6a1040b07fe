using System.Net;
using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Volumes;

/// <summary>Volumes through the real docker CLI: named, anonymous, copy-up, --volumes-from, --mount, binds, tmpfs, rm -v, prune.</summary>
public sealed class VolumeTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private Task<CommandResult> Docker(params string[] args) => Daemon.DockerAsync(args);

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    /// <summary>An image whose /seed holds a file owned by 1000 and is a VOLUME, made by commit (berthd has no /build).</summary>
    private async Task<string> SeededImageAsync()
    {
        string name = Unique("seeded");
        string source = Unique("seedsrc");
        (await Docker("run", "--name", source, "busybox", "sh", "-c", "mkdir -p /seed && echo from-image > /seed/f && chown -R 1000:1000 /seed")).EnsureSuccess();
        (await Docker("commit", "--change", "VOLUME /seed", source, name)).EnsureSuccess();
        (await Docker("rm", source)).EnsureSuccess();
        return name;
    }

    private async Task<JsonElement> InspectAsync(string kind, string name)
    {
        var result = (await Docker(kind, "inspect", name)).EnsureSuccess();
        return JsonDocument.Parse(result.Stdout).RootElement[0];
    }

    [Fact]
    public async Task A_named_volume_keeps_its_data_after_every_container_that_used_it_is_removed()
    {
        string volume = Unique("data");
        Assert.Equal(volume, (await Docker("volume", "create", "--label", "team=blue", volume)).EnsureSuccess().Stdout.Trim());
        Assert.Equal(volume, (await Docker("volume", "create", volume)).EnsureSuccess().Stdout.Trim());
        (await Docker("run", "--rm", "-v", volume + ":/d", "busybox", "sh", "-c", "echo persisted > /d/f")).EnsureSuccess();
        var read = (await Docker("run", "--rm", "-v", volume + ":/d", "busybox", "cat", "/d/f")).EnsureSuccess();
        Assert.Equal("persisted\n", read.Stdout);

        var inspect = await InspectAsync("volume", volume);
        Assert.Equal("local", inspect.GetProperty("Driver").GetString());
        Assert.Equal("local", inspect.GetProperty("Scope").GetString());
        Assert.Equal("blue", inspect.GetProperty("Labels").GetProperty("team").GetString());
        Assert.Equal(Path.Combine(Daemon.DataRoot, "volumes", volume, "_data"), inspect.GetProperty("Mountpoint").GetString());
        Assert.Equal(JsonValueKind.Null, inspect.GetProperty("Options").ValueKind);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", inspect.GetProperty("CreatedAt").GetString());
        (await Docker("volume", "rm", volume)).EnsureSuccess();
    }

    [Fact]
    public async Task An_empty_volume_gets_the_images_content_unless_nocopy()
    {
        string image = await SeededImageAsync();
        string copied = Unique("cu"), notCopied = Unique("nc"), mountNoCopy = Unique("mnc");
        var result = (await Docker("run", "--rm", "-v", copied + ":/seed", image, "sh", "-c", "cat /seed/f; stat -c %u /seed /seed/f")).EnsureSuccess();
        Assert.Equal("from-image\n1000\n1000\n", result.Stdout);
        // Not empty any more: the next container sees the volume's own content.
        (await Docker("run", "--rm", "-v", copied + ":/seed", image, "sh", "-c", "echo changed > /seed/f")).EnsureSuccess();
        Assert.Equal("changed\n", (await Docker("run", "--rm", "-v", copied + ":/seed", image, "cat", "/seed/f")).EnsureSuccess().Stdout);

        Assert.Equal("", (await Docker("run", "--rm", "-v", notCopied + ":/seed:nocopy", image, "ls", "-A", "/seed")).EnsureSuccess().Stdout);
        Assert.Equal("", (await Docker("run", "--rm", "--mount", $"type=volume,src={mountNoCopy},dst=/seed,volume-nocopy", image, "ls", "-A", "/seed")).EnsureSuccess().Stdout);
        (await Docker("volume", "rm", copied, notCopied, mountNoCopy)).EnsureSuccess();
    }

    [Fact]
    public async Task The_images_volume_becomes_an_anonymous_volume_that_rm_v_removes()
    {
        string image = await SeededImageAsync();
        string container = Unique("anon");
        (await Docker("create", "--name", container, image, "true")).EnsureSuccess();
        var mounts = (await InspectAsync("container", container)).GetProperty("Mounts");
        var mount = Assert.Single(mounts.EnumerateArray());
        string name = mount.GetProperty("Name").GetString()!;
        Assert.Matches("^[0-9a-f]{64}$", name);
        Assert.Equal("volume", mount.GetProperty("Type").GetString());
        Assert.Equal("/seed", mount.GetProperty("Destination").GetString());
        Assert.Equal("local", mount.GetProperty("Driver").GetString());
        Assert.Equal("", mount.GetProperty("Mode").GetString());
        Assert.True(mount.GetProperty("RW").GetBoolean());
        Assert.Equal("", mount.GetProperty("Propagation").GetString());
        Assert.True((await InspectAsync("volume", name)).GetProperty("Labels").TryGetProperty("com.docker.volume.anonymous", out _));

        (await Docker("start", "-a", container)).EnsureSuccess();
        Assert.Equal("from-image\n", File.ReadAllText(Path.Combine(Daemon.DataRoot, "volumes", name, "_data", "f")));
        (await Docker("rm", "-v", container)).EnsureSuccess();
        Assert.NotEqual(0, (await Docker("volume", "inspect", name)).ExitCode);
    }

    [Fact]
    public async Task An_anonymous_volume_from_dash_v_stays_after_rm_and_goes_with_run_rm()
    {
        string container = Unique("keep");
        (await Docker("run", "--name", container, "-v", "/scratch", "busybox", "sh", "-c", "echo x > /scratch/f")).EnsureSuccess();
        string name = (await Docker("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", container)).EnsureSuccess().Stdout.Trim();
        Assert.Matches("^[0-9a-f]{64}$", name);
        (await Docker("rm", container)).EnsureSuccess();
        (await Docker("volume", "inspect", name)).EnsureSuccess();
        (await Docker("volume", "rm", name)).EnsureSuccess();

        string label = Unique("rm");
        var before = (await Docker("volume", "ls", "-q")).EnsureSuccess().Stdout;
        (await Docker("run", "--rm", "--label", label, "-v", "/scratch", "busybox", "sh", "-c", "echo x > /scratch/f")).EnsureSuccess();
        Assert.Equal(before, (await Docker("volume", "ls", "-q")).EnsureSuccess().Stdout);
    }

    [Fact]
    public async Task Volumes_from_shares_the_mounts_read_only_or_read_write()
    {
        string source = Unique("vfsrc"), volume = Unique("vf");
        (await Docker("create", "--name", source, "-v", volume + ":/shared", "-v", "/anon", "busybox", "true")).EnsureSuccess();
        (await Docker("run", "--rm", "--volumes-from", source, "busybox", "sh", "-c", "echo shared > /shared/f && touch /anon/a")).EnsureSuccess();
        var readOnly = await Docker("run", "--rm", "--volumes-from", source + ":ro", "busybox", "sh", "-c", "cat /shared/f && ls /anon && touch /shared/g");
        Assert.NotEqual(0, readOnly.ExitCode);
        Assert.Equal("shared\na\n", readOnly.Stdout);
        Assert.Contains("Read-only file system", readOnly.Stderr);
        var bad = await Docker("create", "--volumes-from", source + ":xx", "busybox", "true");
        Assert.Contains("invalid mode: xx", bad.Stderr);
        (await Docker("rm", "-v", source)).EnsureSuccess();
        (await Docker("volume", "inspect", volume)).EnsureSuccess();
        (await Docker("volume", "rm", volume)).EnsureSuccess();
    }

    [Fact]
    public async Task Mount_syntax_makes_volumes_read_only_and_mounts_a_subpath()
    {
        string volume = Unique("sp");
        (await Docker("run", "--rm", "--mount", $"type=volume,src={volume},dst=/v,volume-label=made=bymount", "busybox", "sh", "-c", "mkdir -p /v/a/b && echo deep > /v/a/b/f")).EnsureSuccess();
        Assert.Equal("bymount", (await InspectAsync("volume", volume)).GetProperty("Labels").GetProperty("made").GetString());
        var sub = await Docker("run", "--rm", "--mount", $"type=volume,src={volume},dst=/s,volume-subpath=a/b,readonly", "busybox", "sh", "-c", "cat /s/f; touch /s/g");
        Assert.Equal("deep\n", sub.Stdout);
        Assert.Contains("Read-only file system", sub.Stderr);
        var missing = await Docker("run", "--rm", "--mount", $"type=volume,src={volume},dst=/s,volume-subpath=nope", "busybox", "true");
        Assert.NotEqual(0, missing.ExitCode);

        string container = Unique("ro");
        (await Docker("create", "--name", container, "--mount", $"type=volume,src={volume},dst=/m,readonly", "busybox", "true")).EnsureSuccess();
        var mount = Assert.Single((await InspectAsync("container", container)).GetProperty("Mounts").EnumerateArray());
        Assert.Equal(("volume", volume, "z", false), (mount.GetProperty("Type").GetString(), mount.GetProperty("Name").GetString(), mount.GetProperty("Mode").GetString(), mount.GetProperty("RW").GetBoolean()));
        (await Docker("rm", container)).EnsureSuccess();
        (await Docker("volume", "rm", volume)).EnsureSuccess();
    }

    [Fact]
    public async Task Binds_are_read_write_or_read_only_and_shown_as_docker_shows_them()
    {
        string dir = Path.Combine(Daemon.Root, Unique("bind"));
        (await Docker("run", "--rm", "-v", dir + ":/b", "busybox", "sh", "-c", "echo from-container > /b/f")).EnsureSuccess();
        Assert.Equal("from-container\n", File.ReadAllText(Path.Combine(dir, "f")));
        var ro = await Docker("run", "--rm", "-v", dir + ":/b:ro", "busybox", "sh", "-c", "cat /b/f; touch /b/g");
        Assert.Equal("from-container\n", ro.Stdout);
        Assert.Contains("Read-only file system", ro.Stderr);
        var mountRo = await Docker("run", "--rm", "--mount", $"type=bind,src={dir},dst=/b,readonly", "busybox", "touch", "/b/g");
        Assert.Contains("Read-only file system", mountRo.Stderr);
        var missing = await Docker("run", "--rm", "--mount", $"type=bind,src={dir}/nope,dst=/b", "busybox", "true");
        Assert.Contains($"bind source path does not exist: {dir}/nope", missing.Stderr);

        string container = Unique("binds");
        (await Docker("create", "--name", container, "-v", dir + ":/b:ro", "--tmpfs", "/tt", "--mount", "type=tmpfs,dst=/mt", "busybox", "true")).EnsureSuccess();
        var mounts = (await InspectAsync("container", container)).GetProperty("Mounts").EnumerateArray().ToList();
        Assert.Equal(2, mounts.Count); // --tmpfs is not a mount point in Docker
        Assert.Equal(("bind", dir, "/b", "ro", false, "rprivate"), (mounts[0].GetProperty("Type").GetString(), mounts[0].GetProperty("Source").GetString(),
            mounts[0].GetProperty("Destination").GetString(), mounts[0].GetProperty("Mode").GetString(), mounts[0].GetProperty("RW").GetBoolean(), mounts[0].GetProperty("Propagation").GetString()));
        Assert.False(mounts[0].TryGetProperty("Name", out _));
        Assert.Equal(("tmpfs", "/mt"), (mounts[1].GetProperty("Type").GetString(), mounts[1].GetProperty("Destination").GetString()));
        (await Docker("rm", container)).EnsureSuccess();
    }

    [Fact]
    public async Task A_tmpfs_volume_is_mounted_while_a_container_uses_it()
    {
        string volume = Unique("tv");
        (await Docker("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=1m", volume)).EnsureSuccess();
        string data = Path.Combine(Daemon.DataRoot, "volumes", volume, "_data");
        var inside = (await Docker("run", "--rm", "-v", volume + ":/t", "busybox", "sh", "-c", "grep ' /t ' /proc/mounts; echo gone > /t/f")).EnsureSuccess();
        Assert.StartsWith("tmpfs /t tmpfs rw", inside.Stdout);
        Assert.Contains("size=1024k", inside.Stdout);
        Assert.DoesNotContain(data, File.ReadAllText("/proc/self/mounts"));
        Assert.False(File.Exists(Path.Combine(data, "f")));
        Assert.Equal("", (await Docker("run", "--rm", "-v", volume + ":/t", "busybox", "ls", "/t")).EnsureSuccess().Stdout);

        var opts = (await InspectAsync("volume", volume)).GetProperty("Options");
        Assert.Equal("tmpfs", opts.GetProperty("type").GetString());
        Assert.Equal("size=1m", opts.GetProperty("o").GetString());
        var bad = await Docker("volume", "create", "-o", "foo=bar", Unique("bad"));
        Assert.Contains("invalid option: \"foo\"", bad.Stderr);
        (await Docker("volume", "rm", volume)).EnsureSuccess();
    }

    [Fact]
    public async Task A_volume_in_use_is_not_removed_even_with_force()
    {
        string volume = Unique("inuse"), container = Unique("user");
        string id = (await Docker("create", "--name", container, "-v", volume + ":/d", "busybox", "true")).EnsureSuccess().Stdout.Trim();
        var refused = await Docker("volume", "rm", volume);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"Error response from daemon: remove {volume}: volume is in use - [{id}]", refused.Stderr);
        var response = await Daemon.Http.DeleteAsync($"/v1.50/volumes/{volume}?force=1");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal($"remove {volume}: volume is in use - [{id}]", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
        var notFound = await Daemon.Http.DeleteAsync("/v1.50/volumes/nosuchvolume");
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Daemon.Http.DeleteAsync("/v1.50/volumes/nosuchvolume?force=1")).StatusCode);
        Assert.Contains("get nosuchvolume: no such volume", (await Docker("volume", "inspect", "nosuchvolume")).Stderr);

        var dangling = (await Docker("volume", "ls", "-q", "--filter", "dangling=false", "--filter", "name=" + volume)).EnsureSuccess();
        Assert.Equal(volume + "\n", dangling.Stdout);
        (await Docker("rm", container)).EnsureSuccess();
        (await Docker("volume", "rm", volume)).EnsureSuccess();
    }

    [Fact]
    public async Task Prune_takes_unused_anonymous_volumes_and_with_all_the_named_ones_too()
    {
        string named = Unique("keep"), labelled = Unique("zap"), container = Unique("p");
        (await Docker("volume", "create", named)).EnsureSuccess();
        (await Docker("volume", "create", "--label", "zap=1", labelled)).EnsureSuccess();
        (await Docker("create", "--name", container, "-v", "/x", "busybox", "true")).EnsureSuccess();
        string anonymous = (await Docker("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", container)).EnsureSuccess().Stdout.Trim();
        var held = (await Docker("volume", "prune", "-f")).EnsureSuccess();
        Assert.DoesNotContain(anonymous, held.Stdout);
        (await Docker("rm", container)).EnsureSuccess();

        var pruned = (await Docker("volume", "prune", "-f")).EnsureSuccess();
        Assert.Contains("Deleted Volumes:\n" + anonymous + "\n", pruned.Stdout);
        Assert.Contains("Total reclaimed space:", pruned.Stdout);
        (await Docker("volume", "inspect", named)).EnsureSuccess();

        var byLabel = (await Docker("volume", "prune", "-af", "--filter", "label=zap=1")).EnsureSuccess();
        Assert.Contains(labelled, byLabel.Stdout);
        Assert.DoesNotContain(named, byLabel.Stdout);
        (await Docker("volume", "inspect", named)).EnsureSuccess();
        (await Docker("volume", "rm", named)).EnsureSuccess();
    }

    [Fact]
    public async Task Ls_filters_by_name_label_driver_and_dangling()
    {
        string a = Unique("lsa"), b = Unique("lsb"), container = Unique("lsuser");
        (await Docker("volume", "create", "--label", "tier=front", a)).EnsureSuccess();
        (await Docker("volume", "create", "--label", "tier=back", b)).EnsureSuccess();
        (await Docker("create", "--name", container, "-v", b + ":/d", "busybox", "true")).EnsureSuccess();
        Assert.Equal(a + "\n", (await Docker("volume", "ls", "-q", "--filter", "label=tier=front")).EnsureSuccess().Stdout);
        Assert.Equal($"{a}\n{b}\n", (await Docker("volume", "ls", "-q", "--filter", "label=tier", "--filter", "driver=local")).EnsureSuccess().Stdout);
        Assert.Equal(a + "\n", (await Docker("volume", "ls", "-q", "--filter", "label=tier", "--filter", "dangling=true")).EnsureSuccess().Stdout);
        Assert.Equal(b + "\n", (await Docker("volume", "ls", "-q", "--filter", "name=" + b)).EnsureSuccess().Stdout);
        var table = (await Docker("volume", "ls", "--filter", "name=" + a)).EnsureSuccess().Stdout;
        Assert.Equal($"DRIVER    VOLUME NAME\nlocal     {a}\n", table);
        Assert.Equal($"{a} front\n", (await Docker("volume", "ls", "--filter", "name=" + a, "--format", "{{.Name}} {{.Label \"tier\"}}")).EnsureSuccess().Stdout);
        Assert.Contains("invalid filter 'bogus'", (await Docker("volume", "ls", "--filter", "bogus=1")).Stderr);
        Assert.Equal(container + "\n", (await Docker("ps", "-a", "--format", "{{.Names}}", "--filter", "volume=" + b)).EnsureSuccess().Stdout);
        (await Docker("rm", container)).EnsureSuccess();
        (await Docker("volume", "rm", a, b)).EnsureSuccess();
    }

    [Fact]
    public async Task Volume_events_report_create_mount_unmount_and_destroy()
    {
        string volume = Unique("ev");
        long since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        (await Docker("volume", "create", volume)).EnsureSuccess();
        (await Docker("run", "--rm", "-v", volume + ":/d:ro", "busybox", "true")).EnsureSuccess();
        (await Docker("volume", "rm", volume)).EnsureSuccess();
        long until = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;
        string[] window = ["events", "--since", since.ToString(), "--until", until.ToString(), "--filter", "type=volume", "--filter", "volume=" + volume];
        var events = (await Docker([.. window, "--format", "{{.Action}} {{.Actor.Attributes.driver}}"])).EnsureSuccess();
        Assert.Equal("create local\nmount local\nunmount local\ndestroy local\n", events.Stdout);
        var mount = (await Docker([.. window, "--filter", "event=mount", "--format", "{{index .Actor.Attributes \"read/write\"}} {{.Actor.Attributes.destination}} {{.Actor.Attributes.container}}"])).EnsureSuccess();
        Assert.Matches("^false /d [0-9a-f]{64}\n$", mount.Stdout);
    }

    [Fact]
    public async Task Create_by_api_is_idempotent_and_refuses_bad_names_and_drivers()
    {
        string volume = Unique("api");
        async Task<(HttpStatusCode, JsonElement)> Create(string body)
        {
            var response = await Daemon.Http.PostAsync("/v1.50/volumes/create", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }
        var (status, first) = await Create($"{{\"Name\":\"{volume}\",\"Labels\":{{\"a\":\"b\"}}}}");
        Assert.Equal(HttpStatusCode.Created, status);
        var (again, second) = await Create($"{{\"Name\":\"{volume}\",\"Labels\":{{\"x\":\"y\"}}}}");
        Assert.Equal(HttpStatusCode.Created, again);
        Assert.Equal(first.GetRawText(), second.GetRawText());
        var (badName, badNameBody) = await Create("{\"Name\":\"bad/name\"}");
        Assert.Equal(HttpStatusCode.BadRequest, badName);
        Assert.StartsWith("create bad/name: \"bad/name\" includes invalid characters for a local volume name", badNameBody.GetProperty("message").GetString());
        var (badDriver, badDriverBody) = await Create($"{{\"Name\":\"{volume}x\",\"Driver\":\"other\"}}");
        Assert.Equal(HttpStatusCode.NotFound, badDriver);
        Assert.Equal($"create {volume}x: error looking up volume plugin other: plugin \"other\" not found", badDriverBody.GetProperty("message").GetString());
        var (anonymous, anonymousBody) = await Create("{}");
        Assert.Equal(HttpStatusCode.Created, anonymous);
        Assert.Matches("^[0-9a-f]{64}$", anonymousBody.GetProperty("Name").GetString());
        (await Docker("volume", "rm", volume, anonymousBody.GetProperty("Name").GetString()!)).EnsureSuccess();
    }
}
