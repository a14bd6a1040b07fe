using System.Text;
using Berth.Cli.Build;

namespace Berth.Tests.Cli.Build;

/// <summary>The classic builder's output as docker prints it (compared against docker CLI 28 and dockerd 20.10).</summary>
public sealed class BuildOutputTests
{
    [Theory]
    [InlineData(2048, "Sending build context to Docker daemon  2.048kB\r")]
    [InlineData(5120, "Sending build context to Docker daemon   5.12kB\r")]
    [InlineData(254976, "Sending build context to Docker daemon    255kB\r")]
    [InlineData(12_345_678, "Sending build context to Docker daemon  12.35MB\r")]
    [InlineData(0, "Sending build context to Docker daemon \r\n")]
    public void TheContextSizeIsRightAlignedInEightColumns(long bytes, string line)
        => Assert.Equal(line, ContextUploadProgress.Line(bytes));

    [Fact]
    public async Task TheLineIsWrittenOnceTheContextIsSentEndedAsDockerEndsIt()
    {
        var output = new StringWriter();
        var write = new ContextUploadProgress(output, terminal: false).Around((stream, _) => stream.WriteAsync(new byte[3072]).AsTask());
        await write(Stream.Null, CancellationToken.None);
        Assert.Equal("Sending build context to Docker daemon  3.072kB\r\r\n", output.ToString());
    }

    private const string Success = """
        {"stream":"Step 1/2 : FROM busybox"}
        {"stream":"\n"}
        {"stream":" ---\u003e eddca4bb310e\n"}
        {"status":"Pulling from library/busybox","id":"latest"}
        {"status":"Downloading","progressDetail":{"current":10,"total":100},"progress":"[=>  ]","id":"aaa"}
        {"aux":{"ID":"sha256:3919270d35d30ca1b25eaaf9be0fcaae4acf2b4e26029c15538c9b816f7ed971"}}
        {"stream":"Successfully built 3919270d35d3\n"}
        """;

    [Fact]
    public async Task StreamTextIsPrintedAsItComesAndTheAuxIdIsKept()
    {
        var output = new StringWriter();
        var printer = new BuildMessagePrinter(output, terminal: false);
        await printer.PrintAsync(new MemoryStream(Encoding.UTF8.GetBytes(Success)), CancellationToken.None);
        Assert.Equal("Step 1/2 : FROM busybox\n ---> eddca4bb310e\nlatest: Pulling from library/busybox\nSuccessfully built 3919270d35d3\n",
            output.ToString());
        Assert.Equal("sha256:3919270d35d30ca1b25eaaf9be0fcaae4acf2b4e26029c15538c9b816f7ed971", printer.ImageId);
    }

    [Theory]
    [InlineData("""{"errorDetail":{"code":3,"message":"The command '/bin/sh -c exit 3' returned a non-zero code: 3"},"error":"x"}""", 3)]
    [InlineData("""{"errorDetail":{"message":"pull access denied"},"error":"pull access denied"}""", 1)]
    [InlineData("""{"error":"bare"}""", 1)]
    public async Task AnErrorEndsTheBuildWithTheCodeTheDaemonGave(string error, int exitCode)
    {
        var output = new StringWriter();
        var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"stream\":\"Step 1/1 : RUN exit 3\\n\"}\n" + error));
        var failure = await Assert.ThrowsAsync<BuildFailedException>(() => new BuildMessagePrinter(output, false).PrintAsync(stream, CancellationToken.None));
        Assert.Equal(exitCode, failure.ExitCode);
        Assert.Equal("Step 1/1 : RUN exit 3\n", output.ToString());
    }
}
