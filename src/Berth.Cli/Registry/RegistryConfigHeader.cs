using System.Text.Json.Nodes;

namespace Berth.Cli.Registry;

/// <summary>
/// The X-Registry-Config header of a build: every stored login as a JSON object keyed by server, base64url, as docker
/// sends it (<c>e30=</c>, "{}", when there is none), so that the daemon can pull FROM images from private registries.
/// </summary>
public static class RegistryConfigHeader
{
    public static async Task<string> ForBuildAsync(CliContext context)
    {
        var all = await CredentialStore.Open(context).GetAllAsync(context.Cancellation);
        return Encode(all.Values);
    }

    public static string Encode(IEnumerable<Credentials> logins)
    {
        var configs = new JsonObject();
        foreach (var login in logins.OrderBy(l => l.ServerAddress, StringComparer.Ordinal))
            configs[login.ServerAddress] = RegistryAuthHeader.AuthConfig(login);
        return RegistryAuthHeader.Base64Url(configs);
    }
}
