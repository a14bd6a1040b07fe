using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Build.Remote;

/// <summary>
/// Builds whose context is a URL or a git repository, both served on loopback by the test: POST /build?remote= fetched
/// by berthd (raw API and docker-py), and `docker build URL` / `berth build URL`, where the client fetches it.
/// </summary>
public sealed class RemoteBuildTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private const string CopyingDockerfile = "FROM busybox\nCOPY a.txt /a.txt\nCMD [\"cat\", \"/a.txt\"]\n";

    private BerthDaemon Daemon => fixture.Daemon;

    private static string NewTag(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}:1";

    [Fact]
    public async Task The_daemon_builds_from_a_context_tar_a_gzipped_tar_and_a_bare_Dockerfile_url()
    {
        byte[] tar = Tar(new() { ["Dockerfile"] = CopyingDockerfile, ["a.txt"] = "from the tar\n" });
        using var server = new LoopbackHttpServer()
            .Serve("ctx.tar", tar, "application/x-tar")
            .Serve("ctx.tar.gz", Gzip(Tar(new() { ["Dockerfile"] = CopyingDockerfile, ["a.txt"] = "from the tar.gz\n" })))
            .Serve("Dockerfile", "FROM busybox\nCMD [\"echo\", \"bare dockerfile\"]\n"u8.ToArray());

        foreach (var (path, expected) in new[] { ("ctx.tar", "from the tar\n"), ("ctx.tar.gz", "from the tar.gz\n"), ("Dockerfile", "bare dockerfile\n") })
        {
            string tag = NewTag("remote-url");
            var (status, body) = await PostBuildAsync(server.Url(path), tag);

            Assert.True(status == 200, body);
            Assert.Contains("Successfully built", body);
            Assert.DoesNotContain("errorDetail", body);
            Assert.Contains($"\"id\":\"Downloading context\"", body);
            Assert.Contains($"\"status\":\"{server.Url(path)}\"", body);
            var run = await Daemon.DockerAsync("run", "--rm", tag);
            Assert.Equal(expected, run.EnsureSuccess().Stdout);
        }
    }

    [Fact]
    public async Task The_daemon_builds_from_a_git_branch_and_subdirectory()
    {
        await using var git = await LoopbackGitServer.StartAsync();
        await git.CommitAsync("app", "master", new Dictionary<string, string> { ["Dockerfile"] = "FROM busybox\nCMD [\"echo\", \"master root\"]\n" });
        await git.CommitAsync("app", "feature", new Dictionary<string, string>
        {
            ["sub/Dockerfile"] = CopyingDockerfile,
            ["sub/a.txt"] = "feature subdirectory\n",
        });
        string root = NewTag("remote-git"), sub = NewTag("remote-git-sub");

        var (rootStatus, rootBody) = await PostBuildAsync(git.Url("app"), root);
        var (subStatus, subBody) = await PostBuildAsync(git.Url("app") + "#feature:sub", sub);

        Assert.True(rootStatus == 200 && rootBody.Contains("Successfully built"), rootBody);
        Assert.True(subStatus == 200 && subBody.Contains("Successfully built"), subBody);
        Assert.Equal("master root\n", (await Daemon.DockerAsync("run", "--rm", root)).EnsureSuccess().Stdout);
        Assert.Equal("feature subdirectory\n", (await Daemon.DockerAsync("run", "--rm", sub)).EnsureSuccess().Stdout);
    }

    [Fact]
    public async Task Failed_fetches_are_errors_named_as_docker_names_them()
    {
        using var server = new LoopbackHttpServer().Serve("page.html", "<!DOCTYPE html><html></html>"u8.ToArray(), "text/html");
        await using var git = await LoopbackGitServer.StartAsync();
        await git.CommitAsync("app", "master", new Dictionary<string, string> { ["Dockerfile"] = "FROM busybox\n", ["file"] = "x" });

        var missing = await PostBuildAsync(server.Url("missing.tar"), null);
        var html = await PostBuildAsync(server.Url("page.html"), null);
        var notRepo = await PostBuildAsync(git.Url("nothing-here"), null);
        var noRef = await PostBuildAsync(git.Url("app") + "#no-such-branch", null);
        var noDir = await PostBuildAsync(git.Url("app") + "#master:nodir", null);
        var fileDir = await PostBuildAsync(git.Url("app") + "#master:file", null);
        var unknown = await PostBuildAsync("ftp://127.0.0.1/x", null);

        Assert.Equal(404, missing.Status);
        Assert.Contains($"error downloading remote context {server.Url("missing.tar")}: failed to GET {server.Url("missing.tar")} with status 404 Not Found: no such file", missing.Body);
        Assert.Equal(500, html.Status);
        string page = server.Url("page.html");
        Assert.Contains($"error detecting content type for remote {page}: unsupported Content-Type", html.Body);
        Assert.Contains("text/html", html.Body);
        Assert.Equal(500, notRepo.Status);
        Assert.Contains("error fetching: ", notRepo.Body);
        Assert.Contains("exit status 128", notRepo.Body);
        Assert.Contains("find remote ref no-such-branch", noRef.Body); // "couldn't", its quote escaped in the JSON
        Assert.Matches("stat /.*/nodir: no such file or directory", noDir.Body);
        Assert.Contains("error setting git context, not a directory: ", fileDir.Body);
        Assert.Contains("remoteURL (ftp://127.0.0.1/x) could not be recognized as URL", unknown.Body);
    }

    [Fact]
    public async Task Docker_and_berth_fetch_a_url_context_themselves()
    {
        using var server = new LoopbackHttpServer()
            .Serve("ctx.tar.gz", Gzip(Tar(new() { ["Dockerfile"] = CopyingDockerfile, ["a.txt"] = "client download\n" })))
            .Serve("Dockerfile", "FROM busybox\nCMD [\"echo\", \"client dockerfile\"]\n"u8.ToArray());
        string dockerTag = NewTag("docker-url"), berthTag = NewTag("berth-url"), berthBare = NewTag("berth-bare");

        var docker = await Daemon.DockerAsync("build", "-t", dockerTag, server.Url("ctx.tar.gz"));
        var berth = await Daemon.BerthAsync("build", "-t", berthTag, server.Url("ctx.tar.gz"));
        var bare = await Daemon.BerthAsync("build", "-q", "-t", berthBare, server.Url("Dockerfile"));
        var missing = await Daemon.BerthAsync("build", server.Url("missing"));

        Assert.Contains($"Downloading build context from remote url: {server.Url("ctx.tar.gz")}", docker.EnsureSuccess().Stdout);
        Assert.Contains($"Downloading build context from remote url: {server.Url("ctx.tar.gz")} [==", berth.EnsureSuccess().Stdout);
        Assert.Contains("Sending build context to Docker daemon", berth.Stdout);
        Assert.Matches("^sha256:[0-9a-f]{64}\n$", bare.EnsureSuccess().Stdout);
        Assert.Equal("client download\n", (await Daemon.DockerAsync("run", "--rm", dockerTag)).EnsureSuccess().Stdout);
        Assert.Equal("client download\n", (await Daemon.DockerAsync("run", "--rm", berthTag)).EnsureSuccess().Stdout);
        Assert.Equal("client dockerfile\n", (await Daemon.DockerAsync("run", "--rm", berthBare)).EnsureSuccess().Stdout);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains($"unable to prepare context: unable to download remote context {server.Url("missing")}: failed to GET {server.Url("missing")} with status 404 Not Found", missing.Stderr);
    }

    [Fact]
    public async Task Docker_and_berth_clone_a_git_context_themselves()
    {
        await using var git = await LoopbackGitServer.StartAsync();
        await git.CommitAsync("app", "main", new Dictionary<string, string>
        {
            ["docker/Dockerfile"] = CopyingDockerfile,
            ["docker/other.Dockerfile"] = "FROM busybox\nCMD [\"echo\", \"other dockerfile\"]\n",
            ["docker/a.txt"] = "cloned by the client\n",
        });
        string dockerTag = NewTag("docker-git"), berthTag = NewTag("berth-git"), otherTag = NewTag("berth-git-f");

        // The docker CLI removes only the subdirectory of its clone, so its temporary directory is the test's own.
        var dockerTemp = Directory.CreateTempSubdirectory("docker-cli-tmp-");
        var dockerEnv = new Dictionary<string, string>(Daemon.Env) { ["TMPDIR"] = dockerTemp.FullName };
        var docker = await Commands.RunAsync(BerthBinaries.DockerCli, ["build", "-t", dockerTag, git.Url("app") + "#main:docker"], dockerEnv);
        dockerTemp.Delete(recursive: true);
        var berth = await Daemon.BerthAsync("build", "-t", berthTag, git.Url("app") + "#main:docker");
        var other = await Daemon.BerthAsync("build", "-f", "other.Dockerfile", "-t", otherTag, git.Url("app") + "#main:docker");
        var outside = await Daemon.BerthAsync("build", "-f", "../../x", git.Url("app") + "#main:docker");
        var notRepo = await Daemon.BerthAsync("build", git.Url("nothing-here"));

        docker.EnsureSuccess();
        Assert.Contains("Successfully built", berth.EnsureSuccess().Stdout);
        Assert.Equal("cloned by the client\n", (await Daemon.DockerAsync("run", "--rm", dockerTag)).EnsureSuccess().Stdout);
        Assert.Equal("cloned by the client\n", (await Daemon.DockerAsync("run", "--rm", berthTag)).EnsureSuccess().Stdout);
        Assert.Equal("other dockerfile\n", (await Daemon.DockerAsync("run", "--rm", otherTag)).EnsureSuccess().Stdout);
        Assert.Contains("the Dockerfile (../../x) must be within the build context", outside.Stderr);
        Assert.Contains("unable to prepare context: unable to 'git clone' to temporary context directory: error fetching: ", notRepo.Stderr);
    }

    [Fact]
    public async Task Docker_py_builds_from_a_url()
    {
        using var server = new LoopbackHttpServer()
            .Serve("ctx.tar", Tar(new() { ["Dockerfile"] = CopyingDockerfile, ["a.txt"] = "docker-py remote\n" }), "application/x-tar");
        string script = Path.Combine(AppContext.BaseDirectory, "DockerPy", "remote_build.py");
        var env = new Dictionary<string, string>(Daemon.Env) { ["REMOTE_CONTEXT_URL"] = server.Url("ctx.tar") };

        var result = await Commands.RunAsync("python3", [script], env, timeout: TimeSpan.FromSeconds(120));

        Assert.True(result.ExitCode == 0 && result.Stdout.EndsWith("all ok\n", StringComparison.Ordinal), result.ToString());
    }

    private async Task<(int Status, string Body)> PostBuildAsync(string remote, string? tag)
    {
        string query = "remote=" + Uri.EscapeDataString(remote) + (tag is null ? "" : "&t=" + Uri.EscapeDataString(tag));
        using var response = await Daemon.Http.PostAsync("/v1.41/build?" + query, null);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    internal static byte[] Tar(Dictionary<string, string> files)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                };
                writer.WriteEntry(entry);
            }
        }
        return buffer.ToArray();
    }

    internal static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(content);
        return buffer.ToArray();
    }
}
