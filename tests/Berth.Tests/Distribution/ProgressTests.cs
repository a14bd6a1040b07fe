using System.Net;
using System.Text;
using Berth.Api;
using Berth.Engine.Distribution.Http;
using Berth.Engine.Distribution.Progress;
using Berth.Engine.Distribution.Push;

namespace Berth.Tests.Distribution;

public class ProgressTests
{
    [Theory]
    [InlineData(0, 2217000, "[>                                                  ]       0B/2.217MB")]
    [InlineData(228384, 2217000, "[=====>                                             ]  228.4kB/2.217MB")]
    [InlineData(2217000, 2217000, "[==================================================>]  2.217MB/2.217MB")]
    [InlineData(512, 0, "    512B")]
    public void Progress_text_as_Docker_renders_it(long current, long total, string expected) =>
        Assert.Equal(expected, ProgressText.Render(current, total));

    [Theory]
    [InlineData(999, "999B")]
    [InlineData(1000, "1kB")]
    [InlineData(1234567, "1.235MB")]
    [InlineData(268435456, "268.4MB")]
    public void Human_sizes(long bytes, string expected) => Assert.Equal(expected, ProgressText.HumanSize(bytes));

    private sealed class Collect : IProgress<JsonMessage>
    {
        public readonly List<JsonMessage> Messages = [];
        public void Report(JsonMessage value) => Messages.Add(value);
    }

    [Fact]
    public void Byte_progress_is_thinned_but_the_last_update_always_goes_out()
    {
        var sink = new Collect();
        var reporter = new ProgressReporter(sink);
        for (long i = 1; i <= 1000; i++) reporter.Bytes("abc", "Downloading", i * 1000, 1_000_000);
        Assert.InRange(sink.Messages.Count, 1, 20);
        var last = sink.Messages[^1];
        Assert.Equal(1_000_000, last.ProgressDetail!.Current);
        Assert.Equal("Downloading", last.Status);
        Assert.Equal("abc", last.Id);
        reporter.Layer("abc", "Download complete");
        Assert.NotNull(sink.Messages[^1].ProgressDetail);
    }

    [Fact]
    public void Registry_error_bodies_read_like_Docker()
    {
        var unknown = RegistryException.FromBody(HttpStatusCode.NotFound, "Not Found",
            Encoding.UTF8.GetBytes("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\",\"detail\":{\"Tag\":\"x\"}}]}"));
        Assert.Equal("manifest unknown: manifest unknown", unknown.Message);
        Assert.Equal("MANIFEST_UNKNOWN", unknown.Code);

        var server = RegistryException.FromBody(HttpStatusCode.InternalServerError, "Internal Server Error", "oops"u8);
        Assert.Equal("received unexpected HTTP status: 500 Internal Server Error", server.Message);

        var unauthorized = RegistryException.FromBody(HttpStatusCode.Unauthorized, "Unauthorized", []);
        Assert.Equal("unauthorized: authentication required", unauthorized.Message);

        var details = RegistryException.FromBody(HttpStatusCode.Unauthorized, "Unauthorized", "{\"details\":\"incorrect username or password\"}"u8);
        Assert.Equal("unauthorized: incorrect username or password", details.Message);
    }
}
