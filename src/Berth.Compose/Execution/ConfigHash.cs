using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Compose.Model;

namespace Berth.Compose.Execution;

/// <summary>
/// The <c>com.docker.compose.config-hash</c> label: SHA-256 (hex) of the service's canonical JSON (as <c>config</c>
/// prints it) without what Compose leaves out of its hash, so that building, scaling, a pull policy, profiles or
/// reordered dependencies recreate nothing. <c>up</c> recreates a container whose label differs from the hash now.
/// </summary>
public static class ConfigHash
{
    private static readonly string[] LeftOut = ["build", "scale", "pull_policy", "profiles", "depends_on"];

    public static string Of(ServiceConfig service)
        => Convert.ToHexStringLower(SHA256.HashData(Json.SerializeToUtf8(CanonicalJson(service))));

    public static JsonObject CanonicalJson(ServiceConfig service)
    {
        var tree = ProjectWriter.ServiceTree(service);
        foreach (var key in LeftOut)
            tree.Remove(key);
        return tree;
    }
}
