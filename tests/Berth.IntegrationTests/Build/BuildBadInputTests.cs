using System.Formats.Tar;
using System.Net;
using System.Text;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Build;

/// <summary>POST /build with bad input: refused with a clear error, nothing written outside, nothing left behind.</summary>
public sealed class BuildBadInputTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Context_entries_that_escape_their_root_are_refused_and_nothing_lands_outside()
    {
        string marker = "berth-escape-" + Guid.NewGuid().ToString("N")[..8];
        var dotdot = await PostBuildAsync(Tar(("Dockerfile", "FROM busybox\n", null), ($"../{marker}", "x", null)));
        var absoluteLink = await PostBuildAsync(Tar(("Dockerfile", "FROM busybox\n", null), ("link", "", "/tmp"), ($"link/{marker}", "x", null)));

        Assert.Equal(HttpStatusCode.BadRequest, dotdot.Status);
        Assert.Contains("is outside of the extraction point", dotdot.Body);
        Assert.Equal(HttpStatusCode.BadRequest, absoluteLink.Status);
        Assert.False(File.Exists(Path.Combine("/tmp", marker)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(Daemon.DataRoot, "tmp")));
    }

    [Fact]
    public async Task Bad_parameters_and_bodies_get_400_with_dockers_wording()
    {
        var context = Tar(("Dockerfile", "FROM busybox\n", null));

        var args = await PostBuildAsync(context, "buildargs=%7Bbad");
        var tag = await PostBuildAsync(context, "t=Bad:Tag");
        var garbage = await PostBuildAsync("not a tar"u8.ToArray());
        var remote = await PostBuildAsync(context, "remote=http://127.0.0.1:1/context.tar"); // nothing listens on port 1

        Assert.Equal(HttpStatusCode.BadRequest, args.Status);
        Assert.Contains("error reading build args", args.Body);
        Assert.Equal(HttpStatusCode.BadRequest, tag.Status);
        Assert.Contains("invalid reference format", tag.Body);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.Status);
        Assert.Equal(HttpStatusCode.InternalServerError, remote.Status);
        Assert.Contains("error downloading remote context http://127.0.0.1:1/context.tar: Get ", remote.Body);
    }

    [Fact]
    public async Task A_client_that_hangs_up_during_a_RUN_stops_the_build_and_its_container_goes()
    {
        var body = Tar(("Dockerfile", "FROM busybox\nRUN echo started && sleep 60\n", null));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? containerId = null;
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1.41/build") { Content = new ByteArrayContent(body) })
        using (var response = await Daemon.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                int at = line.IndexOf("Running in ", StringComparison.Ordinal);
                if (at >= 0) containerId = line.Substring(at + "Running in ".Length, 12);
                if (line.Contains("\"stream\":\"started", StringComparison.Ordinal)) break;
            }
        } // hangs up

        Assert.NotNull(containerId);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while ((await Daemon.DockerAsync("inspect", containerId)).ExitCode == 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.NotEqual(0, (await Daemon.DockerAsync("inspect", containerId)).ExitCode);
    }

    private async Task<(HttpStatusCode Status, string Body)> PostBuildAsync(byte[] context, string query = "")
    {
        using var response = await Daemon.Http.PostAsync("/v1.41/build?" + query, new ByteArrayContent(context));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static byte[] Tar(params (string Name, string Content, string? LinkTarget)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content, link) in entries)
            {
                var entry = link is null
                    ? new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) }
                    : new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = link };
                writer.WriteEntry(entry);
            }
        }
        return buffer.ToArray();
    }
}
