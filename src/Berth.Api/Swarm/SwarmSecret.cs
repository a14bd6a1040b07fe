using System.Text.Json.Nodes;

namespace Berth.Api;

/// <summary>GET /secrets/{id} and /configs/{id}: the same shape; a secret's Spec never carries its Data back.</summary>
public sealed class SwarmSecret
{
    public string ID { get; set; } = "";

    public ObjectVersion Version { get; set; } = new();

    public string CreatedAt { get; set; } = "";

    public string UpdatedAt { get; set; } = "";

    /// <summary>Name, Labels, Data (base64; configs only in answers), Templating, Driver.</summary>
    public JsonObject Spec { get; set; } = [];
}
