using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>A port in GET /containers/json. IP and PublicPort are omitted when the port is not published.</summary>
public sealed class Port
{
    [JsonPropertyName("IP")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IP { get; set; }

    public int PrivatePort { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int PublicPort { get; set; }

    /// <summary>"tcp", "udp" or "sctp".</summary>
    public string Type { get; set; } = "tcp";
}
