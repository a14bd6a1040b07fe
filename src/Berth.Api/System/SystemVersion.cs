using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>Reply of GET /version.</summary>
public sealed class SystemVersion
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PlatformInfo? Platform { get; set; } = new();

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ComponentVersion>? Components { get; set; }

    public string Version { get; set; } = "";

    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("MinAPIVersion")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MinAPIVersion { get; set; }

    public string GitCommit { get; set; } = "";

    public string GoVersion { get; set; } = "";

    public string Os { get; set; } = "";

    public string Arch { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? KernelVersion { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Experimental { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BuildTime { get; set; }
}

public sealed class PlatformInfo
{
    public string Name { get; set; } = "";
}

/// <summary>One component of /version ("Engine", "runc", ...); Details values are all strings.</summary>
public sealed class ComponentVersion
{
    public string Name { get; set; } = "";

    public string Version { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Details { get; set; }
}
