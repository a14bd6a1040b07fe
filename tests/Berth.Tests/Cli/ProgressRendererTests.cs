using System.Text;
using Berth.Cli.Output;

namespace Berth.Tests.Cli;

public sealed class ProgressRendererTests
{
    private const string Stream = """
        {"status":"Pulling from dw/big","id":"1"}
        {"status":"Pulling fs layer","progressDetail":{},"id":"aaa"}
        {"status":"Pulling fs layer","progressDetail":{},"id":"bbb"}
        {"status":"Downloading","progressDetail":{"current":3695,"total":20010000},"progress":"[>   ]  3.695kB/20.01MB","id":"aaa"}
        {"status":"Download complete","progressDetail":{},"id":"bbb"}
        {"status":"Pull complete","progressDetail":{},"id":"aaa"}
        {"status":"Digest: sha256:abc"}
        """;

    private static async Task<string> RenderAsync(string stream, bool terminal)
    {
        var output = new StringWriter { NewLine = "\n" };
        await new ProgressRenderer(output, terminal).RenderAsync(new MemoryStream(Encoding.UTF8.GetBytes(stream)), quiet: false, CancellationToken.None);
        return output.ToString();
    }

    [Fact]
    public async Task Plain_output_leaves_byte_progress_out()
    {
        Assert.Equal("1: Pulling from dw/big\naaa: Pulling fs layer\nbbb: Pulling fs layer\nbbb: Download complete\naaa: Pull complete\nDigest: sha256:abc\n",
            await RenderAsync(Stream, terminal: false));
    }

    [Fact]
    public async Task A_terminal_gets_a_line_per_layer_rewritten_in_place_as_docker_does()
    {
        const string E = "\x1b";
        string expected =
            "1: Pulling from dw/big\n" +
            $"\n{E}[1A{E}[2K\raaa: Pulling fs layer \r{E}[1B" +
            $"\n{E}[1A{E}[2K\rbbb: Pulling fs layer \r{E}[1B" +
            $"{E}[2A{E}[2K\raaa: Downloading  3.695kB/20.01MB\r{E}[2B" +
            $"{E}[1A{E}[2K\rbbb: Download complete \r{E}[1B" +
            $"{E}[2A{E}[2K\raaa: Pull complete \r{E}[2B" +
            "Digest: sha256:abc\n";
        Assert.Equal(expected, await RenderAsync(Stream, terminal: true));
    }

    [Fact]
    public async Task An_error_line_ends_the_stream_with_its_message()
    {
        var error = await Assert.ThrowsAsync<JsonMessageException>(() =>
            RenderAsync("{\"status\":\"x\"}\n{\"errorDetail\":{\"message\":\"boom\"},\"error\":\"boom\"}\n", terminal: false));
        Assert.Equal("boom", error.Message);
    }
}
