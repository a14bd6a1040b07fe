using System.Runtime.InteropServices;
using System.Text;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Containers;

/// <summary>
/// A create with a platform (docker run --platform) uses the local image only when it is for that platform; otherwise
/// dockerd's 404, on which the docker CLI would pull (so these requests go to the API, not through the CLI). The test
/// image is imported, so it is for the host's architecture: "{host}" below, "{other}" one it is not for.
/// </summary>
public sealed class PlatformTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private static string HostArch => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";
    private static string OtherArch => HostArch == "amd64" ? "arm64" : "amd64";
    private static string Fill(string text) => text.Replace("{host}", HostArch).Replace("{other}", OtherArch);

    private async Task<(int Status, string Body)> CreateAsync(string platform)
    {
        using var response = await Daemon.Http.PostAsync($"/v1.41/containers/create?platform={Uri.EscapeDataString(Fill(platform))}",
            new StringContent("""{"Image":"busybox","Cmd":["true"]}""", Encoding.UTF8, "application/json"));
        string body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 400) body = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()!;
        return ((int)response.StatusCode, body);
    }

    [Theory]
    [InlineData("linux/{host}")]
    [InlineData("LINUX/{host}")]
    [InlineData("{host}")]
    [InlineData("linux")]
    public async Task A_platform_the_image_is_for_creates_the_container(string platform)
    {
        var (status, body) = await CreateAsync(platform);
        Assert.True(status == 201, body);
    }

    [Theory]
    [InlineData("linux/{other}", 404, "image with reference busybox was found but does not match the specified platform: wanted linux/{other}, actual: linux/{host}")]
    [InlineData("windows", 404, "wanted windows/{host}, actual: linux/{host}")]
    [InlineData("bogus/x/y/z", 400, "\"bogus/x/y/z\": cannot parse platform specifier: invalid argument")]
    [InlineData("bogus", 400, "\"bogus\": unknown operating system or architecture: invalid argument")]
    public async Task Another_platform_is_refused_as_dockerd_refuses_it(string platform, int expectedStatus, string message)
    {
        var (status, body) = await CreateAsync(platform);
        Assert.Equal(expectedStatus, status);
        Assert.Contains(Fill(message), body);
    }

    [Fact]
    public async Task Both_clis_run_with_the_platform_of_the_local_image()
    {
        string platform = Fill("linux/{host}");
        Assert.Equal("ok\n", (await Daemon.DockerAsync("run", "--rm", "--platform", platform, "busybox", "echo", "ok")).EnsureSuccess().Stdout);
        Assert.Equal("ok\n", (await Daemon.BerthAsync("run", "--rm", "--platform", platform, "busybox", "echo", "ok")).EnsureSuccess().Stdout);
    }
}
