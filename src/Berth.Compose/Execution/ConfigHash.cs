using System.Security.Cryptography;
using Berth.Client;
using Berth.Compose.Model;

namespace Berth.Compose.Execution;

/// <summary>
/// The <c>com.docker.compose.config-hash</c> label: SHA-256 (hex) of the service's canonical JSON. <c>up</c> recreates a
/// container whose label differs from the service's hash now.
/// </summary>
public static class ConfigHash
{
    public static string Of(ServiceConfig service)
        => Convert.ToHexStringLower(SHA256.HashData(Json.SerializeToUtf8(ServiceConfigJson.ForHash(service))));
}
