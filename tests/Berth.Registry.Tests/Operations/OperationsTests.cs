using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Berth.Registry.Tests.Infrastructure;

namespace Berth.Registry.Tests.Operations;

/// <summary>gc, read-only mode, pull-through cache, TLS, metrics, health, access log and graceful shutdown.</summary>
public sealed class OperationsTests
{
    private static async Task<ToolResult> GcAsync(string root, params string[] args) =>
        await Tool.RunAsync(RepoPaths.RegistryBinary, ["gc", "--root", root, "--min-age", "0s", .. args]);

    [Fact]
    public async Task Gc_removes_unreferenced_blobs_and_optionally_untagged_manifests_while_reads_go_on()
    {
        await using var registry = await BerthRegistryProcess.StartAsync();
        using var http = new RegistryHttp(registry.BaseUri);
        var kept = await http.PushImageAsync("gc/app", "v1", seed: 1);
        var untagged = await http.PushImageAsync("gc/app", "v2", seed: 2);
        var signature = await http.PushImageAsync("gc/app", "sig", seed: 3, subject: kept.Digest, artifactType: "application/vnd.example.sig");
        using (var untagSig = await http.SendAsync(HttpMethod.Delete, "/v2/gc/app/manifests/sig")) Assert.Equal(HttpStatusCode.Accepted, untagSig.StatusCode);
        using (var untag = await http.SendAsync(HttpMethod.Delete, "/v2/gc/app/manifests/v2")) Assert.Equal(HttpStatusCode.Accepted, untag.StatusCode);
        string orphan = await http.PushBlobAsync("gc/app", OciLayout.RandomBytes(3000, 4));

        var dry = (await GcAsync(registry.Root, "--dry-run", "--delete-untagged")).EnsureSuccess("gc --dry-run");
        Assert.Contains(orphan, dry.Stdout);
        Assert.Contains("would remove", dry.Stdout);
        using (var stillThere = await http.SendAsync(HttpMethod.Head, $"/v2/gc/app/blobs/{orphan}")) Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);

        // Reads keep going while gc runs.
        using var reads = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            int failures = 0;
            while (!reads.IsCancellationRequested)
            {
                using var get = await http.SendAsync(HttpMethod.Get, $"/v2/gc/app/blobs/{kept.LayerDigest}");
                if (get.StatusCode != HttpStatusCode.OK) failures++;
            }
            return failures;
        });
        var run = (await GcAsync(registry.Root, "--delete-untagged")).EnsureSuccess("gc");
        await reads.CancelAsync();
        Assert.Equal(0, await reader);
        Assert.Contains("removed", run.Stdout);

        using (var gone = await http.SendAsync(HttpMethod.Head, $"/v2/gc/app/blobs/{orphan}")) Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using (var goneManifest = await http.SendAsync(HttpMethod.Get, $"/v2/gc/app/manifests/{untagged.Digest}")) Assert.Equal(HttpStatusCode.NotFound, goneManifest.StatusCode);
        using (var goneLayer = await http.SendAsync(HttpMethod.Head, $"/v2/gc/app/blobs/{untagged.LayerDigest}")) Assert.Equal(HttpStatusCode.NotFound, goneLayer.StatusCode);
        Assert.False(File.Exists(Path.Combine(registry.Root, "blobs", "sha256", orphan[7..])));
        // The tagged image and its (untagged) referrer stay.
        using (var keptManifest = await http.SendAsync(HttpMethod.Get, "/v2/gc/app/manifests/v1")) Assert.Equal(HttpStatusCode.OK, keptManifest.StatusCode);
        using (var keptSig = await http.SendAsync(HttpMethod.Get, $"/v2/gc/app/manifests/{signature.Digest}")) Assert.Equal(HttpStatusCode.OK, keptSig.StatusCode);
        using (var keptLayer = await http.SendAsync(HttpMethod.Get, $"/v2/gc/app/blobs/{kept.LayerDigest}")) Assert.Equal(kept.Layer, await keptLayer.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Read_only_mode_serves_pulls_and_refuses_writes()
    {
        string root = RepoPaths.NewTempDirectory("ro");
        try
        {
            (string Digest, byte[] Manifest) image;
            await using (var writable = await BerthRegistryProcess.StartAsync(root))
            {
                using var http = new RegistryHttp(writable.BaseUri);
                var pushed = await http.PushImageAsync("ro/app", "v1", seed: 5);
                image = (pushed.Digest, pushed.Manifest);
            }
            await using var readOnly = await BerthRegistryProcess.StartAsync(root, ["--storage.maintenance.readonly.enabled", "true"]);
            using var ro = new RegistryHttp(readOnly.BaseUri);
            using var get = await ro.SendAsync(HttpMethod.Get, "/v2/ro/app/manifests/v1");
            Assert.Equal(image.Manifest, await get.Content.ReadAsByteArrayAsync());
            using var post = await ro.SendAsync(HttpMethod.Post, "/v2/ro/app/blobs/uploads/");
            Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
            Assert.Equal("UNSUPPORTED", await RegistryHttp.ErrorCodeAsync(post));
            using var delete = await ro.SendAsync(HttpMethod.Delete, $"/v2/ro/app/manifests/{image.Digest}");
            Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Pull_through_cache_mirrors_an_upstream_and_serves_from_cache_when_it_is_gone()
    {
        var upstream = await BerthRegistryProcess.StartAsync();
        await using var cache = await BerthRegistryProcess.StartAsync(extraArgs: ["--proxy.remoteurl", upstream.BaseUri.ToString()]);
        string work = RepoPaths.NewTempDirectory("proxy");
        try
        {
            var image = OciLayout.Create(Path.Combine(work, "img"), [50_000, 20_000], seed: 6);
            (await Tool.Skopeo("copy", "--dest-tls-verify=false", image.SkopeoReference, $"docker://{upstream.HostPort}/library/app:v1")).EnsureSuccess("push to upstream");

            (await Tool.Skopeo("copy", "--src-tls-verify=false", $"docker://{cache.HostPort}/library/app:v1", $"oci:{work}/first:v1")).EnsureSuccess("pull through the cache");
            foreach (var (digest, _) in image.Layers)
                Assert.True(File.Exists(Path.Combine(cache.Root, "blobs", "sha256", digest.Hex)), $"layer {digest} cached");

            using var http = new RegistryHttp(cache.BaseUri);
            using var push = await http.SendAsync(HttpMethod.Post, "/v2/library/app/blobs/uploads/");
            Assert.Equal(HttpStatusCode.MethodNotAllowed, push.StatusCode);

            await upstream.DisposeAsync();
            (await Tool.Skopeo("copy", "--src-tls-verify=false", $"docker://{cache.HostPort}/library/app:v1", $"oci:{work}/second:v1")).EnsureSuccess("pull from the cache with the upstream gone");
            var raw = (await Tool.Skopeo("inspect", "--tls-verify=false", "--raw", $"docker://{cache.HostPort}/library/app:v1")).EnsureSuccess("inspect");
            Assert.Equal(image.Manifest, Encoding.UTF8.GetBytes(raw.Stdout));
        }
        finally
        {
            await upstream.DisposeAsync();
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Tls_from_a_certificate_and_key()
    {
        string work = RepoPaths.NewTempDirectory("tls");
        try
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(Path.Combine(work, "cert.pem"), certificate.ExportCertificatePem());
            File.WriteAllText(Path.Combine(work, "key.pem"), key.ExportPkcs8PrivateKeyPem());

            await using var registry = await BerthRegistryProcess.StartAsync(extraArgs:
                ["--http.tls.certificate", Path.Combine(work, "cert.pem"), "--http.tls.key", Path.Combine(work, "key.pem")]);
            Assert.Equal("https", registry.BaseUri.Scheme);
            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == certificate.Thumbprint };
            using var client = new HttpClient(handler) { BaseAddress = registry.BaseUri };
            using var response = await client.GetAsync("/v2/");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            var image = OciLayout.Create(Path.Combine(work, "img"), [3000], seed: 7);
            (await Tool.Skopeo("copy", "--dest-tls-verify=false", image.SkopeoReference, $"docker://{registry.HostPort}/tls/app:v1")).EnsureSuccess("skopeo over TLS");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Metrics_health_access_log_and_graceful_shutdown()
    {
        var registry = await BerthRegistryProcess.StartAsync();
        try
        {
            using var http = new RegistryHttp(registry.BaseUri);
            await http.PushImageAsync("ops/app", "v1", seed: 8);
            using (var get = await http.SendAsync(HttpMethod.Get, "/v2/ops/app/manifests/v1")) Assert.Equal(HttpStatusCode.OK, get.StatusCode);

            using var health = await http.SendAsync(HttpMethod.Get, "/healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            using var metrics = await http.SendAsync(HttpMethod.Get, "/metrics");
            string text = await metrics.Content.ReadAsStringAsync();
            Assert.Contains("berth_registry_http_requests_total{route=\"manifest\",method=\"GET\",code=\"200\"} 1", text);
            Assert.Contains("berth_registry_http_request_duration_seconds_bucket{route=\"manifest\",le=\"+Inf\"}", text);
            Assert.Contains("process_resident_memory_bytes", text);

            // A slow upload in flight when SIGTERM arrives is finished before the process exits.
            byte[] blob = OciLayout.RandomBytes(200_000, 9);
            using var start = await http.SendAsync(HttpMethod.Post, "/v2/ops/app/blobs/uploads/");
            var content = new SlowContent(blob);
            var finishing = http.SendAsync(HttpMethod.Put, RegistryHttp.WithQuery(RegistryHttp.Location(start), "digest=" + OciLayout.Sha256(blob)), content);
            await content.Started.Task;
            int exit = await registry.TerminateAsync(TimeSpan.FromSeconds(20));
            using var finished = await finishing;
            Assert.Equal(HttpStatusCode.Created, finished.StatusCode);
            Assert.Equal(0, exit);

            var lines = registry.AccessLog.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var manifestLine = lines.Select(l => JsonDocument.Parse(l).RootElement).First(e => e.GetProperty("path").GetString() == "/v2/ops/app/manifests/v1" && e.GetProperty("method").GetString() == "GET");
            Assert.Equal(200, manifestLine.GetProperty("status").GetInt32());
            Assert.True(manifestLine.TryGetProperty("ms", out _));
        }
        finally
        {
            await registry.DisposeAsync();
        }
    }

    /// <summary>Sends its bytes in pieces over about a second, so a request is surely in flight.</summary>
    private sealed class SlowContent(byte[] bytes) : HttpContent
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (int offset = 0; offset < bytes.Length; offset += 20_000)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(20_000, bytes.Length - offset)));
                await stream.FlushAsync();
                Started.TrySetResult();
                await Task.Delay(100);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }
}
