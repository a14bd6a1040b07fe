namespace Berth.Cli.Registry;

/// <summary>Docker's names for registries: the key credentials are stored under, from an image name or a login argument.</summary>
public static class RegistryServer
{
    /// <summary>Docker Hub's key in config.json (the V1 index address, kept by docker for compatibility).</summary>
    public const string DockerHub = "https://index.docker.io/v1/";

    private static readonly string[] HubNames = ["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"];

    /// <summary>The registry an image name lives at (<c>host:port/ns/app:1</c> → <c>host:port</c>, <c>busybox</c> → Docker Hub).</summary>
    public static string ForImage(string image)
    {
        int slash = image.IndexOf('/');
        if (slash < 0) return DockerHub;
        string first = image[..slash];
        bool isHost = first.Contains('.') || first.Contains(':') || first == "localhost";
        return !isHost || IsDockerHub(first) ? DockerHub : first;
    }

    /// <summary><c>docker login [SERVER]</c>: no server, or any of Docker Hub's names, is Docker Hub; others are kept as given.</summary>
    public static string ForLogin(string? server) =>
        string.IsNullOrEmpty(server) || IsDockerHub(Hostname(server)) ? DockerHub : server;

    /// <summary>Docker's ConvertToHostname: <c>https://host:5000/v2/</c> → <c>host:5000</c>.</summary>
    public static string Hostname(string address)
    {
        string rest = address;
        if (rest.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) rest = rest[7..];
        else if (rest.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) rest = rest[8..];
        int slash = rest.IndexOf('/');
        return slash < 0 ? rest : rest[..slash];
    }

    private static bool IsDockerHub(string host) => HubNames.Contains(host, StringComparer.OrdinalIgnoreCase);
}
