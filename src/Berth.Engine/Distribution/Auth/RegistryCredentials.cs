using System.Text;
using System.Text.Json;
using Berth.Api;
using Berth.Oci.Errors;

namespace Berth.Engine.Distribution.Auth;

/// <summary>
/// What a client hands the daemon to reach a registry: a user and password, an identity token (an OAuth2 refresh
/// token from an earlier login), or a ready registry token sent as-is. Empty means anonymous.
/// </summary>
public sealed record RegistryCredentials(string? Username = null, string? Password = null, string? IdentityToken = null, string? RegistryToken = null)
{
    public static readonly RegistryCredentials Anonymous = new();

    public bool IsAnonymous =>
        string.IsNullOrEmpty(Username) && string.IsNullOrEmpty(Password) && string.IsNullOrEmpty(IdentityToken) && string.IsNullOrEmpty(RegistryToken);

    public bool HasPassword => !string.IsNullOrEmpty(Username) && Password is not null;

    /// <summary>The Authorization value of HTTP basic auth for <see cref="Username"/> and <see cref="Password"/>.</summary>
    public string BasicValue => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));

    // The password never shows in logs or exception messages.
    public override string ToString() => IsAnonymous ? "anonymous" : $"user {Username ?? "(token)"}";

    /// <summary>From Docker's AuthConfig: <c>auth</c> (base64 "user:password") fills in a missing username and password.</summary>
    public static RegistryCredentials From(AuthConfig config)
    {
        string? username = NullIfEmpty(config.Username), password = config.Password;
        if (!string.IsNullOrEmpty(config.Auth) && username is null)
        {
            string decoded = Encoding.UTF8.GetString(DecodeBase64(config.Auth, "auth"));
            int colon = decoded.IndexOf(':');
            if (colon < 0) throw BerthException.Invalid("invalid auth configuration: auth field is not \"username:password\"");
            username = decoded[..colon];
            password = decoded[(colon + 1)..];
        }
        return new RegistryCredentials(username, string.IsNullOrEmpty(password) ? null : password,
            NullIfEmpty(config.IdentityToken), NullIfEmpty(config.RegistryToken));
    }

    /// <summary>
    /// Decodes the X-Registry-Auth header: base64url (standard base64 from old clients, padding optional) of a JSON
    /// AuthConfig. A missing or empty header is anonymous.
    /// </summary>
    public static RegistryCredentials FromRegistryAuthHeader(string? header) => FromRegistryAuthHeader(header, out _);

    /// <param name="serverAddress">The <c>serveraddress</c> the client named, when it did.</param>
    public static RegistryCredentials FromRegistryAuthHeader(string? header, out string? serverAddress)
    {
        serverAddress = null;
        if (string.IsNullOrWhiteSpace(header)) return Anonymous;
        byte[] json = DecodeBase64(header.Trim(), "X-Registry-Auth header");
        AuthConfig? config;
        try
        {
            config = JsonSerializer.Deserialize(json, ApiJsonContext.Default.AuthConfig);
        }
        catch (JsonException e)
        {
            throw BerthException.Invalid($"invalid X-Registry-Auth header: {e.Message}");
        }
        if (config is null) return Anonymous;
        serverAddress = NullIfEmpty(config.ServerAddress);
        return From(config);
    }

    private static byte[] DecodeBase64(string text, string what)
    {
        string normalized = text.Replace('-', '+').Replace('_', '/');
        normalized = normalized.PadRight(normalized.Length + (4 - normalized.Length % 4) % 4, '=');
        try
        {
            return Convert.FromBase64String(normalized);
        }
        catch (FormatException)
        {
            throw BerthException.Invalid($"invalid {what}: not base64");
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
