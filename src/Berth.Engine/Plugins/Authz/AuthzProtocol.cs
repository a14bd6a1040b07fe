using System.Text.Json.Serialization;

namespace Berth.Engine.Plugins.Authz;

/// <summary>
/// The body of AuthZPlugin.AuthZReq and AuthZPlugin.AuthZRes, with Docker's names: who asks, what they ask (bodies are
/// sent as base64, as Go marshals bytes), and for AuthZRes what the daemon answered.
/// </summary>
public sealed class AuthzRequest
{
    public string User { get; set; } = "";
    public string UserAuthNMethod { get; set; } = "";
    public string RequestMethod { get; set; } = "";
    public string RequestURI { get; set; } = "";
    public byte[]? RequestBody { get; set; }
    public Dictionary<string, string>? RequestHeaders { get; set; }
    public byte[]? ResponseBody { get; set; }
    public Dictionary<string, string>? ResponseHeaders { get; set; }
    public int ResponseStatusCode { get; set; }
}

/// <summary>A plugin's verdict: allowed, or denied with a message; Err is the plugin's own failure.</summary>
public sealed class AuthzAnswer : IPluginAnswer
{
    public bool Allow { get; set; }
    public string? Msg { get; set; }
    public string? Err { get; set; }
}

[JsonSerializable(typeof(AuthzRequest))]
[JsonSerializable(typeof(AuthzAnswer))]
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class AuthzJsonContext : JsonSerializerContext;
