using System.Text.Json.Nodes;
using Berth.Client;

namespace Berth.Cli.Registry;

/// <summary>The X-Registry-Auth header value: base64url of a JSON AuthConfig, as the docker CLI sends it.</summary>
public static class RegistryAuthHeader
{
    public static string Encode(Credentials? credentials) => Base64Url(credentials is null ? new JsonObject() : AuthConfig(credentials));

    /// <summary>Docker's AuthConfig JSON for one registry (empty members left out).</summary>
    public static JsonObject AuthConfig(Credentials credentials)
    {
        var config = new JsonObject();
        if (credentials.Username.Length > 0) config["username"] = credentials.Username;
        if (credentials.Secret.Length > 0) config["password"] = credentials.Secret;
        config["serveraddress"] = credentials.ServerAddress;
        if (!string.IsNullOrEmpty(credentials.IdentityToken)) config["identitytoken"] = credentials.IdentityToken;
        return config;
    }

    /// <summary>Base64 with the URL alphabet and padding, as Go's base64.URLEncoding.</summary>
    public static string Base64Url(JsonNode json) => Convert.ToBase64String(Json.SerializeToUtf8(json)).Replace('+', '-').Replace('/', '_');

    /// <summary>The header for pulling or pushing <paramref name="image"/>, from what is stored for its registry.</summary>
    public static async Task<string> ForImageAsync(CliContext context, string image)
    {
        string server = RegistryServer.ForImage(image);
        var credentials = await CredentialStore.Open(context).GetAsync(server, context.Cancellation);
        return Encode(credentials);
    }
}
