namespace Berth.Engine.Distribution.Endpoints;

/// <summary>
/// Docker Hub as Docker's documentation describes it: references name it <c>docker.io</c> (single names live under
/// <c>library/</c>), its V2 API is served by <c>registry-1.docker.io</c>, tokens come from <c>auth.docker.io</c> for the
/// service <c>registry.docker.io</c>, and credentials are stored under the legacy index address.
/// </summary>
public static class DockerHub
{
    public const string ReferenceDomain = "docker.io";
    public const string ApiHost = "registry-1.docker.io";
    public const string TokenRealm = "https://auth.docker.io/token";
    public const string TokenService = "registry.docker.io";

    /// <summary>The key of Docker Hub credentials in config.json and in X-Registry-Auth's serveraddress.</summary>
    public const string IndexServer = "https://index.docker.io/v1/";

    private static readonly string[] Aliases = ["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"];

    /// <summary>True for every spelling of Docker Hub a user or client may give (with or without scheme and path).</summary>
    public static bool IsHub(string hostOrAddress)
    {
        string host = RegistryAddress.HostOf(hostOrAddress);
        return host.Length == 0 || Aliases.Contains(host, StringComparer.OrdinalIgnoreCase);
    }
}
