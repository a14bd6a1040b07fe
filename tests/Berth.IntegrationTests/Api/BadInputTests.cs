using System.Net;
using System.Text;
using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Api;

/// <summary>Bad requests get Docker's status codes and a JSON message, and leave nothing half-made.</summary>
public sealed class BadInputTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private async Task<(HttpStatusCode Status, string Message)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Daemon.Http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        string message = body.Length > 0 && body.TrimStart().StartsWith('{') ? JsonDocument.Parse(body).RootElement.GetProperty("message").GetString() ?? "" : body;
        return (response.StatusCode, message);
    }

    private async Task<int> ContainerCountAsync() =>
        JsonDocument.Parse(await Daemon.Http.GetStringAsync("/containers/json?all=1")).RootElement.GetArrayLength();

    [Fact]
    public async Task Malformed_json_is_400_and_creates_nothing()
    {
        int before = await ContainerCountAsync();
        var (status, message) = await SendAsync(HttpMethod.Post, "/v1.41/containers/create", "{\"Image\": \"busybox\",");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotEmpty(message);
        Assert.Equal(before, await ContainerCountAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_declared_json_is_400_and_creates_nothing()
    {
        int before = await ContainerCountAsync();
        foreach (string path in new[] { "/v1.41/containers/create", "/v1.41/volumes/create", "/v1.41/networks/create" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{\"Image\":\"busybox\",\"Name\":\"ct-check\"}") };
            using var response = await Daemon.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            string message = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()!;
            Assert.Equal("Content-Type specified (text/plain; charset=utf-8) must be 'application/json'", message);
        }
        Assert.Equal(before, await ContainerCountAsync());
        Assert.DoesNotContain("ct-check", await Daemon.Http.GetStringAsync("/volumes"));
        Assert.DoesNotContain("ct-check", await Daemon.Http.GetStringAsync("/networks"));
        // With a charset, and without a Content-Type when there is no body, it is fine (as Docker's CheckForJSON).
        using var named = await Daemon.Http.PostAsync("/v1.41/volumes/create",
            new StringContent("{\"Name\":\"ct-check-ok\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, named.StatusCode);
        using var empty = await Daemon.Http.PostAsync("/v1.41/volumes/create", null);
        Assert.Equal(HttpStatusCode.Created, empty.StatusCode);
        string anonymous = JsonDocument.Parse(await empty.Content.ReadAsStringAsync()).RootElement.GetProperty("Name").GetString()!;
        await Daemon.DockerAsync("volume", "rm", "ct-check-ok", anonymous);
    }

    [Fact]
    public async Task Unknown_image_is_404()
    {
        var (status, message) = await SendAsync(HttpMethod.Post, "/v1.41/containers/create", "{\"Image\": \"nosuchimage\"}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("No such image: nosuchimage:latest", message);
    }

    [Fact]
    public async Task Bad_container_name_is_400()
    {
        var (status, message) = await SendAsync(HttpMethod.Post, "/v1.41/containers/create?name=bad%20name", "{\"Image\": \"busybox\"}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("Invalid container name (bad name)", message);
    }

    [Fact]
    public async Task Start_of_a_removed_container_is_404()
    {
        var created = JsonDocument.Parse((await Daemon.DockerAsync("create", "busybox", "true")).Stdout.Trim() is { } id ? $"{{\"Id\":\"{id}\"}}" : "{}");
        string containerId = created.RootElement.GetProperty("Id").GetString()!;
        Assert.Equal(0, (await Daemon.DockerAsync("rm", containerId)).ExitCode);
        var (status, message) = await SendAsync(HttpMethod.Post, $"/v1.41/containers/{containerId}/start");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal($"No such container: {containerId}", message);
    }

    [Fact]
    public async Task Unknown_signal_is_400()
    {
        string id = (await Daemon.DockerAsync("run", "-d", "busybox", "sleep", "300")).Stdout.Trim();
        var (status, message) = await SendAsync(HttpMethod.Post, $"/containers/{id}/kill?signal=SIGNOPE");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Invalid signal: SIGNOPE", message);
        await Daemon.DockerAsync("rm", "-f", id);
    }

    [Fact]
    public async Task Versions_outside_the_served_range_are_refused()
    {
        var (tooNew, newMessage) = await SendAsync(HttpMethod.Get, "/v1.99/version");
        Assert.Equal(HttpStatusCode.BadRequest, tooNew);
        Assert.Equal("client version 1.99 is too new. Maximum supported API version is 1.50", newMessage);
        var (tooOld, _) = await SendAsync(HttpMethod.Get, "/v1.12/version");
        Assert.Equal(HttpStatusCode.BadRequest, tooOld);
    }

    [Fact]
    public async Task Unknown_paths_and_swarm_answer_like_docker()
    {
        Assert.Equal((HttpStatusCode.NotFound, "page not found"), await SendAsync(HttpMethod.Get, "/v1.41/nosuch"));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "This node is not part of a swarm"), await SendAsync(HttpMethod.Post, "/v1.41/swarm/leave?force=true"));
        var (status, _) = await SendAsync(HttpMethod.Get, "/v1.41/services");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
    }

    [Fact]
    public async Task Ping_has_docker_headers()
    {
        using var response = await Daemon.Http.GetAsync("/_ping");
        Assert.Equal("OK", await response.Content.ReadAsStringAsync());
        Assert.Equal("1.50", response.Headers.GetValues("Api-Version").Single());
        Assert.Equal("linux", response.Headers.GetValues("Ostype").Single());
        Assert.True(response.Headers.Contains("Builder-Version"));
        using var head = await Daemon.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/_ping"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }
}
