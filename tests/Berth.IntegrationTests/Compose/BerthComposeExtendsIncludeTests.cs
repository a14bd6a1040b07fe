using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Compose;

/// <summary>
/// <c>berth compose</c> with a project that includes another project's file (read with its own .env) and a service
/// that extends a base from a third file (whose relative bind mount points into that file's directory).
/// </summary>
public sealed class BerthComposeExtendsIncludeTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    [Fact]
    public async Task Up_runs_the_included_service_and_the_extending_one_with_what_their_files_define()
    {
        await using var project = new ComposeProjectDirectory(Daemon, """
            include:
              - tools/compose.yaml
            services:
              web:
                extends: {file: common/base.yaml, service: echoer}
                command: ["sh", "-c", "echo web says $$GREETING and $$(cat /shared/word)"]
            """);
        project
            .Write("tools/.env", "TOOL_WORD=tool-word\n")
            .Write("tools/compose.yaml", """
                services:
                  tool:
                    image: busybox
                    command: echo tool says ${TOOL_WORD}
                """)
            .Write("common/word", "from-common-dir\n")
            .Write("common/base.yaml", """
                services:
                  echoer:
                    image: busybox
                    environment: {GREETING: hello-from-base}
                    volumes: ["./word:/shared/word:ro"]
                    command: echo never printed
                """);

        var services = await project.ComposeAsync("config", "--services");
        Assert.True(services.ExitCode == 0, services.ToString());
        Assert.Equal(["tool", "web"], services.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

        var up = await project.ComposeAsync("up");

        Assert.True(up.ExitCode == 0, up.ToString());
        // The prefixes are padded to the longest service name.
        Assert.Matches(@"(?m)^web-1 +\| web says hello-from-base and from-common-dir$", up.Stdout);
        Assert.Matches(@"(?m)^tool-1 +\| tool says tool-word$", up.Stdout);
        Assert.DoesNotContain("never printed", up.Stdout);
        Assert.Equal([$"{project.Name}-tool-1", $"{project.Name}-web-1"], await project.ContainerNamesAsync());
    }
}
