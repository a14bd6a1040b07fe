using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Build.Remote;

/// <summary>`docker import URL` / `berth import URL` (POST /images/create?fromSrc=URL): berthd downloads the tar itself.</summary>
public sealed class ImportFromUrlTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Docker_and_berth_import_a_root_filesystem_from_a_url_with_changes_and_a_message()
    {
        string container = "export-" + Guid.NewGuid().ToString("N")[..8];
        string exported = Path.Combine(Path.GetTempPath(), container + ".tar");
        try
        {
            (await Daemon.DockerAsync("create", "--name", container, "busybox")).EnsureSuccess();
            (await Daemon.DockerAsync("export", "-o", exported, container)).EnsureSuccess();
            using var server = new LoopbackHttpServer().Serve("rootfs.tar", await File.ReadAllBytesAsync(exported));
            string dockerTag = "imported-docker-" + container + ":v1", berthTag = "imported-berth-" + container + ":v1";

            var docker = await Daemon.DockerAsync("import", "-c", "CMD [\"echo\", \"imported\"]", "-m", "from the web", server.Url("rootfs.tar"), dockerTag);
            var berth = await Daemon.BerthAsync("import", "--change", "ENV FROM_URL=yes", server.Url("rootfs.tar"), berthTag);

            Assert.StartsWith($"Downloading from {server.Url("rootfs.tar")}\n", docker.EnsureSuccess().Stdout);
            Assert.Matches("\nsha256:[0-9a-f]{64}\n$", docker.Stdout);
            Assert.Matches("\nsha256:[0-9a-f]{64}\n$", berth.EnsureSuccess().Stdout);
            Assert.Equal("imported\n", (await Daemon.DockerAsync("run", "--rm", dockerTag)).EnsureSuccess().Stdout);
            Assert.Equal("yes\n", (await Daemon.DockerAsync("run", "--rm", berthTag, "sh", "-c", "echo $FROM_URL")).EnsureSuccess().Stdout);
            using var inspect = JsonDocument.Parse((await Daemon.DockerAsync("image", "inspect", dockerTag)).EnsureSuccess().Stdout);
            Assert.Equal("from the web", inspect.RootElement[0].GetProperty("Comment").GetString());
            var history = await Daemon.DockerAsync("history", "--no-trunc", "--format", "{{.Comment}}", berthTag);
            Assert.Equal($"Imported from {server.Url("rootfs.tar")}\n", history.EnsureSuccess().Stdout);
        }
        finally
        {
            await Daemon.DockerAsync("rm", "-f", container);
            File.Delete(exported);
        }
    }

    [Fact]
    public async Task The_stream_reports_the_download_as_docker_does_and_a_missing_url_is_a_404()
    {
        using var server = new LoopbackHttpServer()
            .Serve("layer.tar", RemoteBuildTests.Tar(new() { ["hello.txt"] = "hello\n" }))
            .Serve("not-a-tar", "just text, no tar at all\n"u8.ToArray());
        string url = server.Url("layer.tar");

        using var ok = await Daemon.Http.PostAsync("/v1.41/images/create?repo=url-import&tag=1&fromSrc=" + Uri.EscapeDataString(url), null);
        string body = await ok.Content.ReadAsStringAsync();
        using var missing = await Daemon.Http.PostAsync("/v1.41/images/create?fromSrc=" + Uri.EscapeDataString(server.Url("nope")), null);
        using var noScheme = await Daemon.Http.PostAsync($"/v1.41/images/create?fromSrc=127.0.0.1:{server.Port}/layer.tar", null);
        using var broken = await Daemon.Http.PostAsync("/v1.41/images/create?fromSrc=" + Uri.EscapeDataString(server.Url("not-a-tar")), null);
        var missingCli = await Daemon.BerthAsync("import", server.Url("nope"));

        Assert.Equal(200, (int)ok.StatusCode);
        var lines = body.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($$"""{"status":"Downloading from {{url}}"}""", lines[0]);
        Assert.Matches("""^\{"status":"Importing","progressDetail":\{"current":(\d+),"total":\1\},"progress":"\[=+>\] """, lines[^2]);
        Assert.Matches("""^\{"status":"sha256:[0-9a-f]{64}"\}$""", lines[^1]);
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Contains($"failed to GET {server.Url("nope")} with status 404 Not Found: no such file", await missing.Content.ReadAsStringAsync());
        Assert.Equal(200, (int)noScheme.StatusCode);
        Assert.Contains("Downloading from http://127.0.0.1:", await noScheme.Content.ReadAsStringAsync());
        Assert.Contains("errorDetail", await broken.Content.ReadAsStringAsync());
        Assert.NotEqual(0, missingCli.ExitCode);
        Assert.Contains("status 404 Not Found", missingCli.Stderr);
    }
}
