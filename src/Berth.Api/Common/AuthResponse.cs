using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>POST /auth reply: {"Status": "Login Succeeded", "IdentityToken": ""}.</summary>
public sealed class AuthResponse
{
    public string Status { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IdentityToken { get; set; }
}
