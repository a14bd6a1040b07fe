using System.Text.Json.Serialization;

namespace Berth.TestPlugin;

/// <summary>The body of every VolumeDriver request (each method uses the fields it needs).</summary>
internal sealed class VolumeRequest
{
    public string? Name { get; set; }
    public Dictionary<string, string>? Opts { get; set; }
    public string? ID { get; set; }
}

internal sealed class VolumeInfo
{
    public required string Name { get; set; }
    public string? Mountpoint { get; set; }
    public string? CreatedAt { get; set; }
    public Dictionary<string, object>? Status { get; set; }
}

/// <summary>One shape for every answer; unset fields are left out, as Docker's plugin helpers do.</summary>
internal sealed class VolumeResponse
{
    public string? Err { get; set; }
    public string? Mountpoint { get; set; }
    public VolumeInfo? Volume { get; set; }
    public List<VolumeInfo>? Volumes { get; set; }
    public CapabilitiesInfo? Capabilities { get; set; }
    public List<string>? Implements { get; set; }
}

internal sealed class CapabilitiesInfo
{
    public string Scope { get; set; } = "local";
}

/// <summary>What the server writes back: an HTTP status and a JSON body.</summary>
internal sealed record PluginResponse(int Status, byte[] Body)
{
    public static PluginResponse Ok(VolumeResponse body) =>
        new(200, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body, ProtocolJsonContext.Default.VolumeResponse));

    // Docker's plugin helper library answers failures with status 500 and {"Err": message}; dockerd then reports
    // "VolumeDriver.Create: message", so the tests see the same words a real plugin would cause.
    public static PluginResponse Error(string message) =>
        new(500, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new VolumeResponse { Err = message }, ProtocolJsonContext.Default.VolumeResponse));
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VolumeRequest))]
[JsonSerializable(typeof(VolumeResponse))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext;
