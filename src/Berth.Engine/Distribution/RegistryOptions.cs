namespace Berth.Engine.Distribution;

/// <summary>How blobs are sent during a push.</summary>
public enum UploadMode
{
    /// <summary>One PATCH streaming the whole blob, then PUT with the digest (what Docker does).</summary>
    Streamed,

    /// <summary>A single PUT carrying the blob and its digest.</summary>
    Monolithic,

    /// <summary>PATCH requests of <see cref="RegistryOptions.ChunkSize"/> bytes with Content-Range, then PUT.</summary>
    Chunked,
}

/// <summary>The manifest format a push writes for an image that was not pulled as-is.</summary>
public enum PushManifestFormat
{
    /// <summary>Docker schema 2 when every layer is gzip or plain (gzip-compressed at push), OCI otherwise.</summary>
    Docker,
    Oci,
}

/// <summary>
/// The daemon's registry settings (daemon.json: registry-mirrors, insecure-registries, max-concurrent-downloads,
/// max-concurrent-uploads) and the places per-registry certificates are read from.
/// </summary>
public sealed class RegistryOptions
{
    /// <summary>Mirrors of Docker Hub, tried in order before it for pulls (e.g. <c>https://mirror.example:5000</c>).</summary>
    public IReadOnlyList<string> Mirrors { get; init; } = [];

    /// <summary>
    /// Registries reached over plain HTTP or with unverified TLS: <c>host:port</c>, <c>host</c>, or CIDR ranges. Loopback
    /// (127.0.0.0/8, ::1 and localhost) is always insecure, as in Docker.
    /// </summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>Directories holding <c>&lt;host:port&gt;/ca.crt</c>, <c>client.cert</c>, <c>client.key</c>; the first is Berth's own.</summary>
    public IReadOnlyList<string> CertificateDirectories { get; init; } = ["/etc/berth/certs.d", "/etc/docker/certs.d"];

    public int MaxConcurrentDownloads { get; init; } = 3;

    public int MaxConcurrentUploads { get; init; } = 5;

    public UploadMode UploadMode { get; init; } = UploadMode.Streamed;

    /// <summary>Chunk size for <see cref="UploadMode.Chunked"/> (a registry's OCI-Chunk-Min-Length raises it).</summary>
    public int ChunkSize { get; init; } = 8 << 20;

    public PushManifestFormat PushManifestFormat { get; init; } = PushManifestFormat.Docker;

    /// <summary>
    /// daemon.json "max-download-attempts": how often a layer download that failed is tried again (dockerd 20.10 makes
    /// this many retries after the first attempt, six downloads in all by default; see <see cref="Blobs.TransferRetry"/>).
    /// </summary>
    public int MaxDownloadAttempts { get; init; } = 5;

    /// <summary>
    /// One step of the retry countdown ("Retrying in 5 seconds", "4 seconds", …): a second. Only tests make it shorter,
    /// so that a pull retried five times does not take dockerd's 75 s; the messages stay the same.
    /// </summary>
    public TimeSpan RetryCountdownStep { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a download cut short is resumed with a Range request before the pull fails.</summary>
    public int DownloadResumeAttempts { get; init; } = 5;

    /// <summary>Redirects followed for one request before it fails (Go's http client stops after 10).</summary>
    public int MaxRedirects { get; init; } = 10;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The platform chosen from an image index; defaults to the daemon's own.</summary>
    public Manifests.PlatformSpec? Platform { get; init; }

    /// <summary>The User-Agent sent to registries.</summary>
    public string UserAgent { get; init; } = "berth/1.0 (linux)";
}
