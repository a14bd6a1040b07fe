using System.Text;
using Berth.Cli;
using Berth.Tests.Client;

namespace Berth.Tests.Cli.Build;

/// <summary>
/// <c>berth build</c> end to end against a fake daemon that records the request and answers as dockerd 20.10 did for
/// the same build; stdout, stderr and exit codes are those docker CLI 28 gave (DOCKER_BUILDKIT=0).
/// </summary>
public sealed class BuildCommandTests : IDisposable
{
    private const string DaemonAnswer = """
        {"stream":"Step 1/2 : FROM busybox"}
        {"stream":"\n"}
        {"stream":" ---\u003e eddca4bb310e\n"}
        {"stream":"Step 2/2 : COPY a.txt /a.txt"}
        {"stream":"\n"}
        {"stream":" ---\u003e 3919270d35d3\n"}
        {"aux":{"ID":"sha256:3919270d35d30ca1b25eaaf9be0fcaae4acf2b4e26029c15538c9b816f7ed971"}}
        {"stream":"Successfully built 3919270d35d3\n"}
        {"stream":"Successfully tagged t1:latest\n"}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("berth-buildcmd-").FullName;
    private string Context => Path.Join(_dir, "ctx");

    public BuildCommandTests()
    {
        Directory.CreateDirectory(Context);
        File.WriteAllText(Path.Join(Context, "Dockerfile"), "FROM busybox\nCOPY a.txt /a.txt\n");
        File.WriteAllText(Path.Join(Context, "a.txt"), "hello\n");
        File.WriteAllText(Path.Join(Context, "skip.log"), "no\n");
        File.WriteAllText(Path.Join(Context, ".dockerignore"), "*.log\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed record Recorded(string Head, byte[] Body);

    private async Task<(int Code, string Stdout, string Stderr, Recorded? Request)> RunAsync(string answer, params string[] args)
    {
        Recorded? recorded = null;
        await using var daemon = new FakeDaemon(async (head, stream, _) =>
        {
            if (head.StartsWith("HEAD", StringComparison.Ordinal))
            {
                await FakeDaemon.RespondAsync(stream, 200, "");
                return;
            }
            recorded = new Recorded(head, await ReadChunkedAsync(stream));
            await FakeDaemon.RespondAsync(stream, 200, answer);
        });
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var environment = new Dictionary<string, string> { ["DOCKER_CONFIG"] = Path.Join(_dir, "config"), ["HOME"] = _dir };
        int code = await CliApp.RunAsync(["-H", "unix://" + daemon.SocketPath, "build", .. args], Stream.Null, stdout, stderr,
            name => environment.GetValueOrDefault(name), CancellationToken.None);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()), recorded);
    }

    [Fact]
    public async Task TheContextIsStreamedAndTheOutputIsDockers()
    {
        var (code, stdout, stderr, request) = await RunAsync(DaemonAnswer, "-t", "t1", "--build-arg", "A=1", Context);

        Assert.Equal((0, ""), (code, stderr));
        Assert.Equal("Sending build context to Docker daemon  4.096kB\r\r\n" +
                     "Step 1/2 : FROM busybox\n ---> eddca4bb310e\nStep 2/2 : COPY a.txt /a.txt\n ---> 3919270d35d3\n" +
                     "Successfully built 3919270d35d3\nSuccessfully tagged t1:latest\n", stdout);
        Assert.StartsWith("POST /v1.41/build?buildargs=%7B%22A%22%3A%221%22%7D&dockerfile=Dockerfile&t=t1&version=1 HTTP/1.1\r\n", request!.Head);
        Assert.Contains("Content-Type: application/x-tar\r\n", request.Head);
        Assert.Contains("Transfer-Encoding: chunked\r\n", request.Head);
        Assert.Contains("X-Registry-Config: e30=\r\n", request.Head);
        Assert.Equal(4096, request.Body.Length);
        using var reader = new System.Formats.Tar.TarReader(new MemoryStream(request.Body));
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry)
            names.Add(entry.Name);
        Assert.Equal([".dockerignore", "Dockerfile", "a.txt"], names);
    }

    [Fact]
    public async Task QuietPrintsOnlyTheIdAndIidfileGetsIt()
    {
        const string quietAnswer = """{"stream":"sha256:3919270d35d30ca1b25eaaf9be0fcaae4acf2b4e26029c15538c9b816f7ed971\n"}""";
        string iidQuiet = Path.Join(_dir, "iid-q"), iid = Path.Join(_dir, "iid");

        var (code, stdout, stderr, request) = await RunAsync(quietAnswer, "-q", "--iidfile", iidQuiet, Context);
        Assert.Equal((0, "sha256:3919270d35d30ca1b25eaaf9be0fcaae4acf2b4e26029c15538c9b816f7ed971\n", ""), (code, stdout, stderr));
        Assert.Contains("&q=1&", request!.Head);
        // docker writes -q's output line as it is, newline included; without -q, the aux ID alone.
        Assert.Equal("sha256:3919270d35d30ca1b25eaaf9be0fcaae4acf2b4e26029c15538c9b816f7ed971\n", File.ReadAllText(iidQuiet));

        Assert.Equal(0, (await RunAsync(DaemonAnswer, "--iidfile", iid, Context)).Code);
        Assert.Equal("sha256:3919270d35d30ca1b25eaaf9be0fcaae4acf2b4e26029c15538c9b816f7ed971", File.ReadAllText(iid));
    }

    private const string FailedRun = """
        {"stream":"Step 1/1 : RUN exit 3"}
        {"stream":"\n"}
        {"stream":" ---\u003e Running in 7a657e044ad3\n"}
        {"errorDetail":{"code":3,"message":"The command '/bin/sh -c exit 3' returned a non-zero code: 3"},"error":"The command '/bin/sh -c exit 3' returned a non-zero code: 3"}
        """;

    [Fact]
    public async Task AFailedStepExitsWithItsCodeAndTheMessageOnStderr()
    {
        string iid = Path.Join(_dir, "stale-iid");
        File.WriteAllText(iid, "old");
        var (code, stdout, stderr, _) = await RunAsync(FailedRun, "--iidfile", iid, Context);

        Assert.Equal(3, code);
        Assert.Equal("Sending build context to Docker daemon  4.096kB\r\r\nStep 1/1 : RUN exit 3\n ---> Running in 7a657e044ad3\n", stdout);
        Assert.Equal("The command '/bin/sh -c exit 3' returned a non-zero code: 3\n", stderr);
        Assert.False(File.Exists(iid));
    }

    [Fact]
    public async Task QuietAndFailingPutsEverythingOnStderr()
    {
        var (code, stdout, stderr, _) = await RunAsync(FailedRun, "-q", Context);

        Assert.Equal((3, ""), (code, stdout));
        Assert.Equal("Sending build context to Docker daemon  4.096kB\r\r\nStep 1/1 : RUN exit 3\n ---> Running in 7a657e044ad3\n" +
                     "The command '/bin/sh -c exit 3' returned a non-zero code: 3\n", stderr);
    }

    [Theory]
    [InlineData("nope", "unable to prepare context: path \"nope\" not found")]
    [InlineData("-f - -", "invalid argument: can't use stdin for both build context and dockerfile")]
    public async Task AContextThatCannotBePreparedIsRefusedBeforeAnyRequest(string args, string message)
    {
        var (code, _, stderr, request) = await RunAsync(DaemonAnswer, args.Split(' '));
        Assert.Equal((1, message + "\n"), (code, stderr));
        Assert.Null(request);
    }

    /// <summary>An HTTP/1.1 chunked body: hex size lines, data, a zero-size chunk and an empty trailer.</summary>
    private static async Task<byte[]> ReadChunkedAsync(Stream stream)
    {
        var body = new MemoryStream();
        while (true)
        {
            int size = Convert.ToInt32((await ReadLineAsync(stream)).Split(';')[0], 16);
            if (size == 0)
            {
                await ReadLineAsync(stream);
                return body.ToArray();
            }
            var chunk = new byte[size];
            await stream.ReadExactlyAsync(chunk);
            body.Write(chunk);
            await ReadLineAsync(stream);
        }
    }

    private static async Task<string> ReadLineAsync(Stream stream)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1 && one[0] != '\n')
        {
            if (one[0] != '\r')
                line.Append((char)one[0]);
        }
        return line.ToString();
    }
}
