using System.Formats.Tar;
using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Archive;

/// <summary>docker cp through berthd's archive API: both directions, running and stopped containers.</summary>
public sealed class CopyTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("berth-cp-").FullName;

    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Directory_round_trip_keeps_files_symlinks_and_modes()
    {
        string source = Path.Combine(_work, "src");
        Directory.CreateDirectory(Path.Combine(source, "sub"));
        await File.WriteAllTextAsync(Path.Combine(source, "a"), "one\n");
        await File.WriteAllTextAsync(Path.Combine(source, "sub", "b"), "two\n");
        File.CreateSymbolicLink(Path.Combine(source, "link"), "a");
        File.SetUnixFileMode(Path.Combine(source, "a"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        string name = await RunningAsync();

        (await Daemon.DockerAsync("cp", source, name + ":/data")).EnsureSuccess();
        var entries = await ListAsync(name, "/data");
        Assert.Equal(["data/", "data/a", "data/link", "data/sub/", "data/sub/b"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("a", entries["data/link"].LinkName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, entries["data/a"].Mode);

        string back = Path.Combine(_work, "back");
        (await Daemon.DockerAsync("cp", name + ":/data", back)).EnsureSuccess();
        Assert.Equal("one\n", await File.ReadAllTextAsync(Path.Combine(back, "a")));
        Assert.Equal("two\n", await File.ReadAllTextAsync(Path.Combine(back, "sub", "b")));
        Assert.Equal("a", new FileInfo(Path.Combine(back, "link")).LinkTarget);
    }

    [Fact]
    public async Task Ownership_comes_from_the_archive_and_archive_mode_gives_it_to_the_containers_user()
    {
        // As the reference dockerd does (the docs' "created with the UID:GID of the root user" is not what it does):
        // entries keep their owners; -a (copyUIDGID) makes them the container's USER when it has one.
        string file = Path.Combine(_work, "owned");
        await File.WriteAllTextAsync(file, "mine\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal(0, Chown(file, 1234, 99));
        string name = await RunningAsync();
        var asDaemon = await Daemon.DockerAsync("run", "-d", "--user", "daemon", "busybox", "sleep", "600");
        string daemonUser = asDaemon.EnsureSuccess().Stdout.Trim();

        (await Daemon.DockerAsync("cp", file, name + ":/plain")).EnsureSuccess();
        (await Daemon.DockerAsync("cp", "-a", file, name + ":/kept")).EnsureSuccess();
        (await Daemon.DockerAsync("cp", "-a", file, daemonUser + ":/tmp/given")).EnsureSuccess();

        var plain = (await ListAsync(name, "/plain"))["plain"];
        var kept = (await ListAsync(name, "/kept"))["kept"];
        var given = (await ListAsync(daemonUser, "/tmp/given"))["given"];
        Assert.Equal((1234, 99), (plain.Uid, plain.Gid));
        Assert.Equal((1234, 99), (kept.Uid, kept.Gid));
        Assert.Equal((1, 1), (given.Uid, given.Gid));
        await Daemon.DockerAsync("rm", "-f", daemonUser);
    }

    [Fact]
    public async Task Stopped_containers_take_and_give_files()
    {
        var created = await Daemon.DockerAsync("create", "busybox", "cat", "/given");
        created.EnsureSuccess();
        string id = created.Stdout.Trim();
        string file = Path.Combine(_work, "given");
        await File.WriteAllTextAsync(file, "from the host\n");

        (await Daemon.DockerAsync("cp", file, id + ":/given")).EnsureSuccess();
        var run = await Daemon.DockerAsync("start", "-a", id);
        Assert.Equal("from the host\n", run.Stdout);

        var taken = await Daemon.DockerAsync("cp", id + ":/etc/passwd", "-");
        Assert.Equal(0, taken.ExitCode);
        Assert.Contains("root:x:0:0", taken.Stdout);
        await Daemon.DockerAsync("rm", "-f", id);
    }

    [Fact]
    public async Task Copy_into_a_stopped_container_reaches_its_bind_mount()
    {
        string bound = Path.Combine(_work, "bound");
        Directory.CreateDirectory(bound);
        var created = await Daemon.DockerAsync("create", "-v", bound + ":/mnt/bound", "busybox", "true");
        string id = created.EnsureSuccess().Stdout.Trim();
        string file = Path.Combine(_work, "through-bind");
        await File.WriteAllTextAsync(file, "bind\n");

        (await Daemon.DockerAsync("cp", file, id + ":/mnt/bound/")).EnsureSuccess();

        Assert.Equal("bind\n", await File.ReadAllTextAsync(Path.Combine(bound, "through-bind")));
        await Daemon.DockerAsync("rm", "-f", id);
    }

    [Fact]
    public async Task Stat_header_describes_files_dirs_and_symlinks_as_docker_does()
    {
        string name = await RunningAsync("ln -s /etc/passwd /plink; ln -s ../../etc /tmp/rel; mkdir /d; sleep 600");
        await WaitForAsync(name, "/d");

        var link = await StatAsync(name, "/plink");
        Assert.Equal("plink", link.GetProperty("name").GetString());
        Assert.Equal(134218239u, link.GetProperty("mode").GetUInt32()); // ModeSymlink | 0777
        Assert.Equal("/etc/passwd", link.GetProperty("linkTarget").GetString());

        var relative = await StatAsync(name, "/tmp/rel");
        Assert.Equal("/etc", relative.GetProperty("linkTarget").GetString());

        var followed = await StatAsync(name, "/tmp/rel/");
        Assert.Equal("rel", followed.GetProperty("name").GetString());
        Assert.Equal(2147484141u, followed.GetProperty("mode").GetUInt32()); // ModeDir | 0755

        using var missing = await Daemon.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v1.41/containers/{name}/archive?path=/nope"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        var message = await Daemon.DockerAsync("cp", name + ":/nope", _work);
        Assert.Contains($"Could not find the file /nope in container {name}", message.Stderr);
    }

    [Fact]
    public async Task Extracting_onto_a_file_or_into_a_read_only_root_is_refused()
    {
        string name = await RunningAsync();
        using var notDirectory = await PutAsync(name, "/etc/passwd", Tar(("x", TarEntryType.RegularFile, "x")));
        Assert.Equal(400, (int)notDirectory.StatusCode);
        Assert.Contains("extraction point is not a directory", await notDirectory.Content.ReadAsStringAsync());

        var readOnly = await Daemon.DockerAsync("run", "-d", "--read-only", "busybox", "sleep", "600");
        string id = readOnly.EnsureSuccess().Stdout.Trim();
        using var refused = await PutAsync(id, "/tmp", Tar(("x", TarEntryType.RegularFile, "x")));
        Assert.Contains("container rootfs is marked read-only", await refused.Content.ReadAsStringAsync());
        await Daemon.DockerAsync("rm", "-f", id);
    }

    [Fact]
    public async Task Copies_and_exports_name_owners_from_the_containers_own_files_and_keep_dockers_mode_words()
    {
        // dockerd writes these tars chrooted into the container: names come from its /etc/passwd and /etc/group, so
        // uid 2 (the host's "bin", nobody in the container) has no name; the mode words carry the file-type bits.
        string name = await RunningAsync(
            "echo app:x:4321:4321::/:/bin/sh >> /etc/passwd; echo apps:x:4321: >> /etc/group; " +
            "mkdir /d; echo x > /d/f; echo y > /d/g; chown 4321:4321 /d/f; chown 2:1 /d/g; touch /ready; sleep 600");
        await WaitForAsync(name, "/ready");

        byte[] copied = await Daemon.Http.GetByteArrayAsync($"/v1.41/containers/{name}/archive?path=/d");
        byte[] exported = await Daemon.Http.GetByteArrayAsync($"/v1.41/containers/{name}/export");
        foreach (var tar in new[] { copied, exported })
        {
            var headers = RawHeaders(tar);
            Assert.Equal(("app", "apps", "0100644"), headers["d/f"]);
            Assert.Equal(("", "daemon", "0100644"), headers["d/g"]);
            Assert.Equal(("root", "root", "0040755"), headers["d/"]);
        }
    }

    /// <summary>Each ustar header's name with its uname, gname and the raw octal mode word.</summary>
    private static Dictionary<string, (string User, string Group, string Mode)> RawHeaders(byte[] tar)
    {
        static string Field(byte[] block, int offset, int length) =>
            System.Text.Encoding.UTF8.GetString(block, offset, length).Split('\0')[0].Trim();
        var headers = new Dictionary<string, (string, string, string)>(StringComparer.Ordinal);
        for (int offset = 0; offset + 512 <= tar.Length;)
        {
            byte[] block = tar[offset..(offset + 512)];
            string entry = Field(block, 0, 100);
            if (entry.Length == 0) break;
            long size = Convert.ToInt64(Field(block, 124, 12) is { Length: > 0 } octal ? octal : "0", 8);
            headers[Field(block, 345, 155) is { Length: > 0 } prefix ? prefix + "/" + entry : entry] =
                (Field(block, 265, 32), Field(block, 297, 32), Field(block, 100, 8));
            offset += 512 + (int)((size + 511) / 512 * 512);
        }
        return headers;
    }

    private Task<string> RunningAsync(string script = "sleep 600") => ArchiveApi.RunAsync(Daemon, script);

    private Task WaitForAsync(string name, string path) => ArchiveApi.WaitForAsync(Daemon, name, path);

    private async Task<JsonElement> StatAsync(string name, string path)
    {
        using var head = await ArchiveApi.HeadAsync(Daemon, name, path);
        head.EnsureSuccessStatusCode();
        var encoded = head.Headers.GetValues("X-Docker-Container-Path-Stat").Single();
        return JsonDocument.Parse(Convert.FromBase64String(encoded)).RootElement.Clone();
    }

    private async Task<Dictionary<string, TarEntry>> ListAsync(string name, string path)
    {
        await using var stream = await Daemon.Http.GetStreamAsync($"/v1.41/containers/{name}/archive?path={Uri.EscapeDataString(path)}");
        var reader = new TarReader(stream);
        var entries = new Dictionary<string, TarEntry>();
        while (await reader.GetNextEntryAsync(copyData: true) is { } entry) entries[entry.Name] = entry;
        return entries;
    }

    private Task<HttpResponseMessage> PutAsync(string name, string path, byte[] tar) => ArchiveApi.PutAsync(Daemon, name, path, tar);

    private static byte[] Tar(params (string Name, TarEntryType Type, string Data)[] entries) => ArchiveApi.Tar(entries);

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int chown(string path, int owner, int group);

    private static int Chown(string path, int uid, int gid) => chown(path, uid, gid);

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
