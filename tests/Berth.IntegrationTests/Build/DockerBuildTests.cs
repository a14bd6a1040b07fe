using System.Formats.Tar;
using System.Text.Json;
using Berth.IntegrationTests.Infrastructure;

namespace Berth.IntegrationTests.Build;

/// <summary>docker build (the CLI's classic builder, POST /build) against berthd.</summary>
public sealed class DockerBuildTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    private BerthDaemon Daemon => fixture.Daemon;

    private static string NewTag(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}:1";

    [Fact]
    public async Task Each_instruction_shapes_the_image_and_RUN_sees_args_env_and_copied_files()
    {
        using var context = new BuildContextDirectory("""
            FROM busybox
            ARG GREETING=hello
            ENV APP_HOME=/app \
                MODE=test
            LABEL org.example.kind="built image" version=1
            COPY greeting.txt $APP_HOME/
            COPY conf/ /etc/app/
            RUN echo "$GREETING from $(cat /app/greeting.txt) in $MODE" > /app/out.txt && id -u > /app/uid
            WORKDIR $APP_HOME/work
            EXPOSE 8080 9000-9001/udp
            USER 1000:1000
            STOPSIGNAL SIGINT
            CMD ["cat", "/app/out.txt", "/etc/app/a.conf"]
            """)
            .Write("greeting.txt", "context\n")
            .Write("conf/a.conf", "a=1\n");
        string tag = NewTag("build-all");

        var build = await Daemon.DockerAsync("build", "--build-arg", "GREETING=hi", "-t", tag, context.Path);

        Assert.Contains("Step 1/12 : FROM busybox", build.EnsureSuccess().Stdout);
        Assert.Contains("Step 7/12 : RUN echo", build.Stdout);
        Assert.Matches(@"Successfully built [0-9a-f]{12}\n", build.Stdout);
        Assert.Contains($"Successfully tagged {tag}", build.Stdout);
        var run = await Daemon.DockerAsync("run", "--rm", tag);
        Assert.Equal("hi from context in test\na=1\n", run.EnsureSuccess().Stdout);
        var pwd = await Daemon.DockerAsync("run", "--rm", tag, "sh", "-c", "pwd; id -u; cat /app/uid; echo $GREETING.");
        Assert.Equal("/app/work\n1000\n0\n.\n", pwd.EnsureSuccess().Stdout);

        var config = Inspect(tag).GetProperty("Config");
        Assert.Contains("APP_HOME=/app", config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("built image", config.GetProperty("Labels").GetProperty("org.example.kind").GetString());
        Assert.Equal("/app/work", config.GetProperty("WorkingDir").GetString());
        Assert.Equal(["8080/tcp", "9000/udp", "9001/udp"], config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("1000:1000", config.GetProperty("User").GetString());
        Assert.Equal("SIGINT", config.GetProperty("StopSignal").GetString());
        // Intermediate images are listed only with -a, and no container of the build is left.
        var steps = (await Daemon.DockerAsync("history", "-q", tag)).EnsureSuccess().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var listed = (await Daemon.DockerAsync("images", "-q")).EnsureSuccess().Stdout;
        var listedAll = (await Daemon.DockerAsync("images", "-a", "-q")).EnsureSuccess().Stdout;
        Assert.Equal(12, steps.Length); // busybox, then one image per instruction after FROM
        Assert.Equal([steps[0], steps[^1]], steps.Where(listed.Contains));
        Assert.All(steps, step => Assert.Contains(step, listedAll));
        var containers = await Daemon.DockerAsync("ps", "-a", "--filter", "ancestor=" + tag, "-q");
        Assert.Equal("", containers.Stdout.Trim());
    }

    [Fact]
    public async Task A_rebuild_takes_every_step_from_the_cache_until_a_copied_file_changes()
    {
        using var context = new BuildContextDirectory("""
            FROM busybox
            ENV A=1
            COPY data.txt /data.txt
            RUN cat /data.txt > /copy.txt
            CMD ["cat", "/copy.txt"]
            """).Write("data.txt", "one\n");
        string tag = NewTag("build-cache");

        var first = await Daemon.DockerAsync("build", "-q", "-t", tag, context.Path);
        var second = await Daemon.DockerAsync("build", "-t", tag, context.Path);
        context.Write("data.txt", "two\n");
        var third = await Daemon.DockerAsync("build", "-t", tag, context.Path);

        string firstId = first.EnsureSuccess().Stdout.Trim();
        Assert.Matches("^sha256:[0-9a-f]{64}$", firstId);
        Assert.Equal(4, Count(second.EnsureSuccess().Stdout, "Using cache"));
        Assert.Contains($"Successfully built {firstId[7..19]}", second.Stdout);
        Assert.Equal(1, Count(third.EnsureSuccess().Stdout, "Using cache"));
        Assert.Contains("Running in", third.Stdout);
        Assert.Equal("two\n", (await Daemon.DockerAsync("run", "--rm", tag)).Stdout);
        var noCache = await Daemon.DockerAsync("build", "--no-cache", "-t", tag, context.Path);
        Assert.Equal(0, Count(noCache.EnsureSuccess().Stdout, "Using cache"));
    }

    [Fact]
    public async Task Stages_copy_from_one_another_and_target_stops_early()
    {
        using var context = new BuildContextDirectory("""
            FROM busybox AS builder
            RUN mkdir /out && echo compiled > /out/app
            FROM busybox AS second
            RUN echo unused > /unused
            FROM scratch
            COPY --from=builder /out/app /app
            COPY --from=busybox /bin/busybox /bin/busybox
            CMD ["/bin/busybox", "cat", "/app"]
            """);
        string tag = NewTag("build-stages");
        string target = NewTag("build-target");

        var build = await Daemon.DockerAsync("build", "-t", tag, context.Path);
        var targeted = await Daemon.DockerAsync("build", "--target", "builder", "-t", target, context.Path);

        build.EnsureSuccess();
        Assert.Equal("compiled\n", (await Daemon.DockerAsync("run", "--rm", tag)).EnsureSuccess().Stdout);
        Assert.Equal(2, Inspect(tag).GetProperty("RootFS").GetProperty("Layers").GetArrayLength());
        Assert.DoesNotContain("FROM scratch", targeted.EnsureSuccess().Stdout);
        Assert.Equal("compiled\n", (await Daemon.DockerAsync("run", "--rm", target, "cat", "/out/app")).EnsureSuccess().Stdout);
    }

    [Fact]
    public async Task Dockerignore_keeps_files_out_and_ADD_unpacks_a_local_tar()
    {
        using var context = new BuildContextDirectory("""
            FROM busybox
            COPY . /ctx/
            ADD files.tar /unpacked/
            COPY --chown=nobody:nogroup greeting.txt /owned
            RUN ls -A /ctx | sort > /list && stat -c %U /owned > /owner
            """)
            .Write(".dockerignore", "secret*\n*.log\n!keep.log\n")
            .Write("secret.key", "no")
            .Write("build.log", "no")
            .Write("keep.log", "yes")
            .Write("greeting.txt", "hi");
        await using (var tar = File.Create(Path.Combine(context.Path, "files.tar")))
        await using (var writer = new TarWriter(tar))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "inside/packed.txt") { DataStream = new MemoryStream("packed\n"u8.ToArray()) };
            await writer.WriteEntryAsync(entry);
        }
        string tag = NewTag("build-ignore");

        (await Daemon.DockerAsync("build", "-t", tag, context.Path)).EnsureSuccess();

        var run = await Daemon.DockerAsync("run", "--rm", tag, "sh", "-c", "cat /list /unpacked/inside/packed.txt /owner");
        Assert.Equal(".dockerignore\nDockerfile\nfiles.tar\ngreeting.txt\nkeep.log\npacked\nnobody\n", run.EnsureSuccess().Stdout);
    }

    [Fact]
    public async Task Failures_read_as_dockers_and_leave_no_image_behind()
    {
        using var failing = new BuildContextDirectory("FROM busybox\nRUN echo before && exit 3\n");
        using var unknown = new BuildContextDirectory("FROM busybox\nFOO bar\n");
        using var missing = new BuildContextDirectory("FROM busybox\nCOPY nothere /x\n");
        string tag = NewTag("build-fail");

        var run = await Daemon.DockerAsync("build", "-t", tag, failing.Path);
        var parse = await Daemon.DockerAsync("build", unknown.Path);
        var copy = await Daemon.DockerAsync("build", missing.Path);
        var noDockerfile = await Daemon.DockerAsync("build", "-f", "Nope", failing.Path);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("before", run.Stdout);
        Assert.Contains("The command '/bin/sh -c echo before && exit 3' returned a non-zero code: 3", run.Stderr);
        Assert.NotEqual(0, (await Daemon.DockerAsync("image", "inspect", tag)).ExitCode);
        Assert.Contains("dockerfile parse error line 2: unknown instruction: FOO", parse.Stderr);
        Assert.Contains("COPY failed: file not found in build context or excluded by .dockerignore: stat nothere: file does not exist", copy.Stderr);
        Assert.NotEqual(0, noDockerfile.ExitCode);
    }

    [Fact]
    public async Task Onbuild_triggers_shell_entrypoint_volume_and_healthcheck_reach_the_image()
    {
        using var parentContext = new BuildContextDirectory("""
            FROM busybox
            SHELL ["/bin/sh", "-ec"]
            ONBUILD COPY marker.txt /from-child/
            ONBUILD RUN echo "triggered $(cat /from-child/marker.txt)" > /triggered
            VOLUME /data
            HEALTHCHECK --interval=5s --retries=2 CMD test -f /triggered
            ENTRYPOINT ["sh", "-c", "cat /triggered; echo args: \"$@\"", "entry"]
            """);
        string parent = NewTag("build-parent");
        (await Daemon.DockerAsync("build", "-t", parent, parentContext.Path)).EnsureSuccess();
        using var childContext = new BuildContextDirectory($"FROM {parent}\nRUN echo data > /data/lost\nCMD [\"one\", \"two\"]\n")
            .Write("marker.txt", "child");
        string child = NewTag("build-child");

        var build = await Daemon.DockerAsync("build", "-t", child, childContext.Path);

        Assert.Contains("# Executing 2 build triggers", build.EnsureSuccess().Stdout);
        var run = await Daemon.DockerAsync("run", "--rm", child);
        Assert.Equal("triggered child\nargs: one two\n", run.EnsureSuccess().Stdout);
        // A RUN's writes under a VOLUME are not kept, as with Docker.
        var volume = await Daemon.DockerAsync("run", "--rm", "--entrypoint", "ls", child, "-A", "/data");
        Assert.Equal("", volume.EnsureSuccess().Stdout);
        var config = Inspect(child).GetProperty("Config");
        Assert.Equal(JsonValueKind.Null, config.GetProperty("OnBuild").ValueKind);
        Assert.Equal(["/bin/sh", "-ec"], config.GetProperty("Shell").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["CMD-SHELL", "test -f /triggered"], config.GetProperty("Healthcheck").GetProperty("Test").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(5_000_000_000, config.GetProperty("Healthcheck").GetProperty("Interval").GetInt64());
        Assert.True(config.GetProperty("Volumes").TryGetProperty("/data", out _));
        Assert.Equal(2, Inspect(parent).GetProperty("Config").GetProperty("OnBuild").GetArrayLength());
    }

    private JsonElement Inspect(string image)
    {
        var result = Daemon.DockerAsync("image", "inspect", image).GetAwaiter().GetResult();
        return JsonDocument.Parse(result.EnsureSuccess().Stdout).RootElement[0];
    }

    private static int Count(string text, string part) => text.Split(part).Length - 1;
}
