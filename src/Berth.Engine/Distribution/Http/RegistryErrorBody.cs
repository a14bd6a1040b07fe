using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Engine.Distribution.Http;

/// <summary>One entry of a distribution-spec error body: <c>{"errors":[{"code":"MANIFEST_UNKNOWN","message":"…","detail":…}]}</c>.</summary>
public sealed class RegistryErrorEntry
{
    [JsonPropertyName("code")] public string? Code { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("detail")] public JsonElement? Detail { get; set; }

    /// <summary>As Docker's errcode prints it: the code lower-cased with spaces, then the message.</summary>
    public override string ToString()
    {
        string code = (Code ?? "UNKNOWN").Replace('_', ' ').ToLowerInvariant();
        return string.IsNullOrEmpty(Message) ? code : $"{code}: {Message}";
    }
}

public sealed class RegistryErrorBody
{
    [JsonPropertyName("errors")] public List<RegistryErrorEntry>? Errors { get; set; }

    /// <summary>Older token servers answer <c>{"details": "incorrect username or password"}</c>.</summary>
    [JsonPropertyName("details")] public string? Details { get; set; }
}

/// <summary>A token server's answer (distribution token spec; OAuth2 servers use access_token).</summary>
public sealed class TokenResponse
{
    [JsonPropertyName("token")] public string? Token { get; set; }
    [JsonPropertyName("access_token")] public string? AccessToken { get; set; }
    [JsonPropertyName("refresh_token")] public string? RefreshToken { get; set; }
    [JsonPropertyName("expires_in")] public int ExpiresIn { get; set; }
    [JsonPropertyName("issued_at")] public DateTimeOffset? IssuedAt { get; set; }
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(RegistryErrorBody))]
[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class RegistryHttpJsonContext : JsonSerializerContext;
