using System.Text.RegularExpressions;
using Berth.IntegrationTests.Archives;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Volumes;

/// <summary>
/// Bind mount propagation as the reference dockerd has it on the same host: "rprivate" unless asked (moby's Linux
/// default, whatever the host's / propagates), the mount in the container really private, and rslave accepted or
/// refused with dockerd's message depending on how the source's host mount propagates.
/// </summary>
public sealed partial class BindPropagationTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    /// <summary>The optional fields of the container's mountinfo line for /c: "shared:N", "master:N" or nothing (private).</summary>
    private const string Probe = "grep ' /c ' /proc/self/mountinfo | sed 's/ - .*//' | cut -d' ' -f7- | tr -d '\\n'; echo";

    [Fact]
    public async Task Binds_propagate_as_on_the_reference_dockerd()
    {
        await ReferenceDocker.EnsureStartedAsync();
        string source = Directory.CreateTempSubdirectory("berth-prop-").FullName;
        try
        {
            foreach (var options in new[] { new[] { "-v", source + ":/c" }, ["--mount", $"type=bind,src={source},dst=/c"], ["-v", source + ":/c:rslave"] })
            {
                var ours = await Daemon.DockerAsync(["run", "--rm", .. options, "busybox", "sh", "-c", Probe]);
                var theirs = await ReferenceDocker.RunAsync(["run", "--rm", .. options, "busybox", "sh", "-c", Probe]);
                string what = string.Join(' ', options);
                Assert.True(theirs.ExitCode == ours.ExitCode, $"{what}: reference {theirs.ExitCode} {theirs.Stderr}, berth {ours}");
                Assert.Equal(Normalize(theirs.Stdout), Normalize(ours.Stdout));
                if (ours.ExitCode != 0) Assert.Equal(ErrorLine(theirs.Stderr), ErrorLine(ours.Stderr));
            }

            foreach (var (options, expected) in new[] { (new[] { "-v", source + ":/c" }, "rprivate"), (["-v", source + ":/c:ro,rprivate"], "rprivate"), (["--mount", $"type=bind,src={source},dst=/c"], "rprivate") })
            {
                string id = (await Daemon.DockerAsync(["create", .. options, "busybox", "true"])).EnsureSuccess().Stdout.Trim();
                string reference = (await ReferenceDocker.CheckAsync(["create", .. options, "busybox", "true"])).Trim();
                try
                {
                    string ours = (await Daemon.DockerAsync("inspect", "-f", "{{range .Mounts}}{{.Propagation}}{{end}}", id)).EnsureSuccess().Stdout.Trim();
                    string theirs = (await ReferenceDocker.CheckAsync("inspect", "-f", "{{range .Mounts}}{{.Propagation}}{{end}}", reference)).Trim();
                    Assert.Equal(theirs, ours);
                    Assert.Equal(expected, ours);
                }
                finally
                {
                    await Daemon.DockerAsync("rm", id);
                    await ReferenceDocker.RunAsync("rm", reference);
                }
            }
        }
        finally
        {
            Directory.Delete(source, recursive: true);
        }
    }

    /// <summary>Peer group numbers differ between mount namespaces; only whether the mount is shared or a slave counts.</summary>
    private static string Normalize(string fields) => PeerGroup().Replace(fields.Trim(), "$1");

    private static string ErrorLine(string stderr) => stderr.Split('\n').FirstOrDefault(l => l.Contains("Error response", StringComparison.Ordinal)) ?? "";

    [GeneratedRegex(@"(shared|master|propagate_from):\d+")]
    private static partial Regex PeerGroup();
}
