using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>
/// One line of GET /events. status/id/from are the legacy (pre-1.22) fields Docker still fills for container
/// and image events, omitted when empty; scope, time and timeNano are lower-case on the wire.
/// </summary>
public sealed class EventMessage
{
    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; set; }

    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; set; }

    [JsonPropertyName("from")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? From { get; set; }

    /// <summary>"container", "image", "volume", "network", "daemon", "plugin", "node", "service", "secret", "config", "builder".</summary>
    public string Type { get; set; } = "";

    /// <summary>"create", "start", "die", "exec_start: sh", ...</summary>
    public string Action { get; set; } = "";

    public EventActor Actor { get; set; } = new();

    /// <summary>"local" or "swarm".</summary>
    [JsonPropertyName("scope")]
    public string Scope { get; set; } = "local";

    [JsonPropertyName("time")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Time { get; set; }

    [JsonPropertyName("timeNano")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long TimeNano { get; set; }
}

public sealed class EventActor
{
    [JsonPropertyName("ID")]
    public string ID { get; set; } = "";

    public Dictionary<string, string>? Attributes { get; set; } = [];
}
