using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Registry.Tests.Infrastructure;

namespace Berth.Registry.Tests.Conformance;

/// <summary>berth-registry killed (SIGKILL) mid-upload loses nothing committed and shows nothing half-written.</summary>
public sealed class CrashSafetyTests : IAsyncLifetime
{
    private string _root = null!;

    public Task InitializeAsync()
    {
        _root = RepoPaths.NewTempDirectory("crash");
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Kill_mid_upload_then_restart_keeps_committed_content_and_resumable_sessions()
    {
        const string name = "crash/repo";
        byte[] committed = OciLayout.RandomBytes(100_000, 1);
        byte[] interrupted = OciLayout.RandomBytes(2_000_000, 2);
        string resumableLocation;

        var first = await BerthRegistryProcess.StartAsync(_root);
        try
        {
            using var http = new RegistryHttp(first.BaseUri);
            await http.PushBlobAsync(name, committed);
            using var start = await http.SendAsync(HttpMethod.Post, $"/v2/{name}/blobs/uploads/");
            using var chunk = await http.SendAsync(HttpMethod.Patch, RegistryHttp.Location(start), RegistryHttp.Octets(interrupted[..1000]), ("Content-Range", "0-999"));
            resumableLocation = RegistryHttp.Location(chunk);

            // A monolithic upload that is half sent when the process dies.
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, first.BaseUri.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /v2/{name}/blobs/uploads/?digest={OciLayout.Sha256(interrupted)} HTTP/1.1\r\nHost: x\r\nContent-Length: {interrupted.Length}\r\n\r\n"));
            await stream.WriteAsync(interrupted.AsMemory(0, interrupted.Length / 2));
            await stream.FlushAsync();
            await Task.Delay(300);
            first.Kill();
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using var second = await BerthRegistryProcess.StartAsync(_root);
        using var again = new RegistryHttp(second.BaseUri);
        using var get = await again.SendAsync(HttpMethod.Get, $"/v2/{name}/blobs/{OciLayout.Sha256(committed)}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(committed, await get.Content.ReadAsByteArrayAsync());

        using var half = await again.SendAsync(HttpMethod.Head, $"/v2/{name}/blobs/{OciLayout.Sha256(interrupted)}");
        Assert.Equal(HttpStatusCode.NotFound, half.StatusCode);
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "ingest")));
        Assert.False(File.Exists(Path.Combine(_root, "blobs", "sha256", OciLayout.Sha256(interrupted)[7..])));

        // The chunked session survived the crash: its status still answers and it can be finished.
        using var status = await again.SendAsync(HttpMethod.Get, resumableLocation);
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        Assert.Equal("0-999", RegistryHttp.Header(status, "Range"));
        using var finish = await again.SendAsync(HttpMethod.Put, RegistryHttp.WithQuery(resumableLocation, "digest=" + OciLayout.Sha256(interrupted)),
            RegistryHttp.Octets(interrupted[1000..]), ("Content-Range", $"1000-{interrupted.Length - 1}"));
        Assert.Equal(HttpStatusCode.Created, finish.StatusCode);
        using var whole = await again.SendAsync(HttpMethod.Get, $"/v2/{name}/blobs/{OciLayout.Sha256(interrupted)}");
        Assert.Equal(interrupted, await whole.Content.ReadAsByteArrayAsync());
    }
}
