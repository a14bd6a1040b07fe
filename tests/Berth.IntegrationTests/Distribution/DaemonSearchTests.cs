using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Berth.IntegrationTests.Distribution.Infrastructure;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Distribution;

/// <summary>
/// docker search against berth-registry's v1 search API, through berthd, with the real docker CLI and with berth: the
/// same output, filters and limit, and dockerd's errors for a bad filter, a bad limit and a registry nobody answers at.
/// </summary>
public sealed class DaemonSearchTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private async Task<BerthRegistry> RegistryWithTwoImagesAsync()
    {
        var registry = await BerthRegistry.StartAsync();
        foreach (string repository in new[] { "search/busybox", "search/tools" })
        {
            string name = $"{registry.Host}/{repository}:1";
            (await Daemon.DockerAsync("tag", "busybox", name)).EnsureSuccess();
            (await Daemon.DockerAsync("push", name)).EnsureSuccess();
            (await Daemon.DockerAsync("rmi", name)).EnsureSuccess();
        }
        return registry;
    }

    /// <summary>Runs the same search with docker and berth; they must print the same.</summary>
    private async Task<string> SearchBothAsync(params string[] args)
    {
        var docker = (await Daemon.DockerAsync(["search", .. args])).EnsureSuccess();
        var berth = (await Daemon.BerthAsync(["search", .. args])).EnsureSuccess();
        Assert.Equal(docker.Stdout, berth.Stdout);
        return docker.Stdout;
    }

    [Fact]
    public async Task Docker_and_berth_search_find_pushed_repositories_with_filters_and_limit()
    {
        await using var registry = await RegistryWithTwoImagesAsync();
        string host = registry.Host;

        Assert.Equal(
            "NAME             DESCRIPTION   STARS     OFFICIAL\n" +
            "search/busybox                 0         \n",
            await SearchBothAsync($"{host}/busy"));
        Assert.Equal("search/busybox\nsearch/tools\n", await SearchBothAsync("--format", "{{.Name}}", $"{host}/search"));
        Assert.Equal("search/busybox\n", await SearchBothAsync("--limit", "1", "--format", "{{.Name}}", $"{host}/search"));
        Assert.Equal("search/tools|0|\n", await SearchBothAsync("--format", "{{.Name}}|{{.StarCount}}|{{.IsOfficial}}", $"{host}/TOOLS"));
        Assert.Equal("search/busybox\nsearch/tools\n", await SearchBothAsync("-f", "is-official=false", "--format", "{{.Name}}", $"{host}/search"));
        Assert.Equal("", await SearchBothAsync("-f", "is-official=true", "--format", "{{.Name}}", $"{host}/search"));
        Assert.Equal("NAME      DESCRIPTION   STARS     OFFICIAL\n", await SearchBothAsync("--filter", "stars=1", $"{host}/search"));
        Assert.Equal("{\"Description\":\"\",\"IsOfficial\":\"false\",\"Name\":\"search/tools\",\"StarCount\":\"0\"}\n",
            await SearchBothAsync("--format", "json", $"{host}/tools"));
        Assert.Equal("", await SearchBothAsync("--format", "{{.Name}}", $"{host}/nothing-like-this"));
    }

    [Fact]
    public async Task The_api_and_the_registry_answer_in_docker_hubs_shapes()
    {
        await using var registry = await RegistryWithTwoImagesAsync();
        using var api = await Daemon.Http.GetAsync($"/images/search?term={registry.Host}/search&limit=2");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        var results = JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, results.GetArrayLength());
        Assert.Equal(["star_count", "is_official", "name", "is_automated", "description"], results[0].EnumerateObject().Select(p => p.Name));

        using var http = new HttpClient();
        var answer = JsonDocument.Parse(await http.GetStringAsync(new Uri(registry.BaseUri, "/v1/search?q=SEARCH&n=1&page=2"))).RootElement;
        Assert.Equal((2, 2, 1, 2, "SEARCH"), (answer.GetProperty("num_pages").GetInt32(), answer.GetProperty("num_results").GetInt32(),
            answer.GetProperty("page_size").GetInt32(), answer.GetProperty("page").GetInt32(), answer.GetProperty("query").GetString()));
        var only = Assert.Single(answer.GetProperty("results").EnumerateArray());
        Assert.Equal("search/tools", only.GetProperty("name").GetString());
        Assert.False(only.GetProperty("is_official").GetBoolean());
    }

    [Fact]
    public async Task Bad_filters_and_limits_fail_with_dockerds_messages()
    {
        await using var registry = await BerthRegistry.StartAsync();
        string term = $"{registry.Host}/x";
        foreach (var (args, message) in new (string[], string)[]
        {
            (["-f", "foo=bar"], "Error response from daemon: Invalid filter 'foo'"),
            (["-f", "stars=many"], "Error response from daemon: Invalid filter 'stars=many'"),
            (["-f", "is-official=yes"], "Error response from daemon: Invalid filter 'is-official=[yes]'"),
            (["--limit", "101"], "Error response from daemon: Limit 101 is outside the range of [1, 100]"),
        })
        {
            foreach (var run in new[] { Daemon.DockerAsync, Daemon.BerthAsync })
            {
                var result = await run(["search", .. args, term]);
                Assert.Equal(1, result.ExitCode);
                Assert.Contains(message, result.Stderr);
            }
        }
        using var response = await Daemon.Http.GetAsync($"/images/search?term={term}&filters=%7B%22foo%22%3A%5B%22x%22%5D%7D");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_registry_nobody_answers_at_fails_as_dockerd_words_it()
    {
        int port = FreeLoopbackPort();
        string expected = $"Error response from daemon: invalid registry endpoint \"http://127.0.0.1:{port}/v1/\". " +
            $"HTTPS attempt: Get \"https://127.0.0.1:{port}/v1/_ping\": dial tcp 127.0.0.1:{port}: connect: connection refused. " +
            $"HTTP attempt: Get \"http://127.0.0.1:{port}/v1/_ping\": dial tcp 127.0.0.1:{port}: connect: connection refused";
        foreach (var run in new[] { Daemon.DockerAsync, Daemon.BerthAsync })
        {
            var result = await run(["search", $"127.0.0.1:{port}/busybox"]);
            Assert.Equal(1, result.ExitCode);
            Assert.Equal(expected, result.Stderr.Trim());
        }
        var scheme = await Daemon.DockerAsync("search", $"http://127.0.0.1:{port}/busybox");
        Assert.Contains("Error response from daemon: Invalid repository name (ex: \"registry.domain.tld/myrepos\")", scheme.Stderr);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
