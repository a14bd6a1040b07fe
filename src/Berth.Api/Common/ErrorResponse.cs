using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>The body of every error reply: {"message": "..."}.</summary>
public sealed class ErrorResponse
{
    [JsonPropertyName("message")]
    public string Message { get; set; } = "";
}
