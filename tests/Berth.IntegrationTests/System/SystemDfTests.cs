using System.Text.Json;
using System.Text.RegularExpressions;
using Berth.IntegrationTests.Archives;
using Berth.IntegrationTests.Infrastructure;

// Not Berth.IntegrationTests.System: that namespace would hide the System namespace from every other test file.
namespace Berth.IntegrationTests.SystemDf;

/// <summary>GET /system/df and `docker system df` / `berth system df` over images, containers and volumes of a real berthd.</summary>
public sealed partial class SystemDfTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private async Task<JsonElement> DiskUsageAsync(string query = "", string version = "v1.50")
    {
        using var response = await Daemon.Http.GetAsync($"/{version}/system/df{query}");
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static JsonElement Single(JsonElement list, string property, string value) =>
        list.EnumerateArray().Single(e => e.GetProperty(property).GetString() == value);

    [Fact]
    public async Task Sizes_counts_and_references_of_images_containers_and_volumes()
    {
        string volume = "dfvol-" + Guid.NewGuid().ToString("N")[..8];
        string idle = volume + "-idle";
        string image = "dfimg-" + Guid.NewGuid().ToString("N")[..8];
        (await Daemon.DockerAsync("volume", "create", idle)).EnsureSuccess();
        string writer = (await Daemon.DockerAsync("run", "-d", "-v", volume + ":/data", "busybox", "sh", "-c",
            "printf hello > /data/f && head -c 1000 /dev/zero > /big")).EnsureSuccess().Stdout.Trim();
        (await Daemon.DockerAsync("wait", writer)).EnsureSuccess();
        (await Daemon.DockerAsync("commit", writer, image)).EnsureSuccess();
        try
        {
            var usage = await DiskUsageAsync();

            var busybox = usage.GetProperty("Images").EnumerateArray().Single(i => i.GetProperty("RepoTags").EnumerateArray().Any(t => t.GetString() == "busybox:latest"));
            var committed = usage.GetProperty("Images").EnumerateArray().Single(i => i.GetProperty("RepoTags").EnumerateArray().Any(t => t.GetString() == image + ":latest"));
            long baseSize = busybox.GetProperty("Size").GetInt64();
            // The committed image stands on busybox's layer: that layer is shared, and counted once in LayersSize.
            Assert.Equal(baseSize, busybox.GetProperty("SharedSize").GetInt64());
            Assert.Equal(baseSize, committed.GetProperty("SharedSize").GetInt64());
            Assert.True(committed.GetProperty("Size").GetInt64() >= baseSize + 1000);
            Assert.True(usage.GetProperty("LayersSize").GetInt64() >= committed.GetProperty("Size").GetInt64());
            Assert.True(busybox.GetProperty("Containers").GetInt64() >= 1);
            Assert.Equal(0, committed.GetProperty("Containers").GetInt64());
            Assert.False(busybox.TryGetProperty("VirtualSize", out _));

            var container = Single(usage.GetProperty("Containers"), "Id", writer);
            long rw = container.GetProperty("SizeRw").GetInt64();
            Assert.InRange(rw, 1000, 100_000);
            Assert.Equal(rw + baseSize, container.GetProperty("SizeRootFs").GetInt64());
            Assert.Equal("exited", container.GetProperty("State").GetString());

            // The same sizes through `docker ps -s` (size=1 on the list) and `docker inspect -s`, and none without it.
            string listed = (await Daemon.DockerAsync("ps", "-a", "-s", "--filter", "id=" + writer, "--format", "{{.Size}}")).EnsureSuccess().Stdout.Trim();
            Assert.Matches(@"^\d+(\.\d+)?k?B \(virtual \d+(\.\d+)?MB\)$", listed);
            string inspected = (await Daemon.DockerAsync("inspect", "-s", "-f", "{{.SizeRw}} {{.SizeRootFs}}", writer)).EnsureSuccess().Stdout.Trim();
            Assert.Equal($"{rw} {rw + baseSize}", inspected);
            Assert.Equal("<nil>", (await Daemon.DockerAsync("inspect", "-f", "{{.SizeRw}}", writer)).EnsureSuccess().Stdout.Trim());

            var used = Single(usage.GetProperty("Volumes"), "Name", volume).GetProperty("UsageData");
            Assert.Equal(5, used.GetProperty("Size").GetInt64());
            Assert.Equal(1, used.GetProperty("RefCount").GetInt64());
            var unused = Single(usage.GetProperty("Volumes"), "Name", idle).GetProperty("UsageData");
            Assert.Equal(0, unused.GetProperty("Size").GetInt64());
            Assert.Equal(0, unused.GetProperty("RefCount").GetInt64());
            Assert.Equal(JsonValueKind.Array, usage.GetProperty("BuildCache").ValueKind);
            Assert.Equal(0, usage.GetProperty("BuildCache").GetArrayLength());
        }
        finally
        {
            await Daemon.DockerAsync("rm", "-f", writer);
            await Daemon.DockerAsync("rmi", image);
            await Daemon.DockerAsync("volume", "rm", volume, idle);
        }
    }

    [Fact]
    public async Task The_type_parameter_selects_what_is_computed_from_api_1_42_on()
    {
        var volumes = await DiskUsageAsync("?type=volume");
        Assert.Equal(JsonValueKind.Array, volumes.GetProperty("Volumes").ValueKind);
        Assert.Equal(JsonValueKind.Null, volumes.GetProperty("Images").ValueKind);
        Assert.Equal(JsonValueKind.Null, volumes.GetProperty("Containers").ValueKind);
        Assert.Equal(JsonValueKind.Null, volumes.GetProperty("BuildCache").ValueKind);
        Assert.Equal(0, volumes.GetProperty("LayersSize").GetInt64());

        var two = await DiskUsageAsync("?type=image&type=build-cache");
        Assert.Equal(JsonValueKind.Array, two.GetProperty("Images").ValueKind);
        Assert.Equal(JsonValueKind.Array, two.GetProperty("BuildCache").ValueKind);
        Assert.Equal(JsonValueKind.Null, two.GetProperty("Volumes").ValueKind);

        using var bad = await Daemon.Http.GetAsync("/v1.50/system/df?type=bogus");
        Assert.Equal(400, (int)bad.StatusCode);
        Assert.Contains("unknown object type: bogus", await bad.Content.ReadAsStringAsync());

        // Before 1.42 the parameter did not exist: everything, with the old BuilderSize and images' VirtualSize.
        var old = await DiskUsageAsync("?type=volume", "v1.41");
        Assert.Equal(JsonValueKind.Array, old.GetProperty("Images").ValueKind);
        Assert.Equal(0, old.GetProperty("BuilderSize").GetInt64());
        Assert.All(old.GetProperty("Images").EnumerateArray(), i => Assert.True(i.TryGetProperty("VirtualSize", out _)));
    }

    [Fact]
    public async Task Docker_system_df_counts_active_and_reclaimable_and_berth_prints_the_same()
    {
        string running = (await Daemon.DockerAsync("run", "-d", "busybox", "sleep", "300")).EnsureSuccess().Stdout.Trim();
        try
        {
            var docker = (await Daemon.DockerAsync("system", "df", "--format", "{{.Type}}|{{.TotalCount}}|{{.Active}}")).EnsureSuccess().Stdout;
            var lines = docker.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["Images", "Containers", "Local Volumes", "Build Cache"], lines.Select(l => l.Split('|')[0]));
            Assert.True(int.Parse(lines[1].Split('|')[2]) >= 1, docker);
            Assert.Equal("Build Cache|0|0", lines[3]);

            foreach (var args in new[] { new[] { "system", "df" }, ["system", "df", "--format", "{{json .}}"], ["system", "df", "-v"] })
            {
                // -v shows the running container's "Up 1 second" and "2 seconds ago": a second may tick between the
                // two commands, so a difference is looked at again before it counts.
                string expected = "", actual = "";
                for (var attempt = 0; attempt < 5 && (attempt == 0 || expected != actual); attempt++)
                {
                    expected = (await Daemon.DockerAsync(args)).EnsureSuccess().Stdout;
                    actual = (await Daemon.BerthAsync(args)).EnsureSuccess().Stdout;
                }
                Assert.Equal(expected, actual);
            }
        }
        finally
        {
            await Daemon.DockerAsync("rm", "-f", running);
        }
    }

    [Fact]
    public async Task The_layout_matches_the_reference_dockerd()
    {
        await ReferenceDocker.EnsureStartedAsync();
        foreach (var args in new[] { new[] { "system", "df" }, ["system", "df", "-v"] })
        {
            string ours = (await Daemon.DockerAsync(args)).EnsureSuccess().Stdout;
            string theirs = await ReferenceDocker.CheckAsync(args);
            Assert.Equal(Layout(theirs), Layout(ours));
        }
        string Keys(string json) => string.Join(',', JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name));
        string ourJson = (await Daemon.DockerAsync("system", "df", "--format", "{{json .}}")).EnsureSuccess().Stdout.Split('\n')[0];
        string theirJson = (await ReferenceDocker.CheckAsync("system", "df", "--format", "{{json .}}")).Split('\n')[0];
        Assert.Equal(Keys(theirJson), Keys(ourJson));
    }

    private static readonly string[] SummaryTypes = ["Images", "Containers", "Local Volumes", "Build Cache"];

    /// <summary>Section titles, table headers and the summary's type column, with column padding collapsed.</summary>
    private static List<string> Layout(string output)
    {
        var layout = new List<string>();
        foreach (string line in output.Split('\n'))
        {
            if (SummaryTypes.FirstOrDefault(t => line.StartsWith(t + " ", StringComparison.Ordinal)) is { } type) layout.Add(type);
            else if (line.StartsWith("Build cache usage", StringComparison.Ordinal)) layout.Add("Build cache usage");
            else if (line.EndsWith(':') || HeaderLine().IsMatch(line)) layout.Add(Spaces().Replace(line, " ").Trim());
        }
        return layout;
    }

    [GeneratedRegex("^(TYPE|REPOSITORY|CONTAINER ID|VOLUME NAME|CACHE ID) ")]
    private static partial Regex HeaderLine();

    [GeneratedRegex(" {2,}")]
    private static partial Regex Spaces();
}
