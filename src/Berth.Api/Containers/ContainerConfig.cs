using System.Text.Json.Serialization;
using Berth.Api.Json;

namespace Berth.Api;

/// <summary>
/// Docker's container.Config: the portable part of a container (inspect "Config", image "Config", and the top level
/// of the create body). Fields tagged omitempty in Docker are omitted when null/false; the rest are always emitted,
/// null included (Env, Cmd, Entrypoint, Volumes, OnBuild, Labels may be null).
/// </summary>
public class ContainerConfig
{
    public string Hostname { get; set; } = "";

    public string Domainname { get; set; } = "";

    public string User { get; set; } = "";

    public bool AttachStdin { get; set; }

    public bool AttachStdout { get; set; }

    public bool AttachStderr { get; set; }

    /// <summary>Set of "port/proto" keys ("80/tcp": {}).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, EmptyObject>? ExposedPorts { get; set; }

    public bool Tty { get; set; }

    public bool OpenStdin { get; set; }

    public bool StdinOnce { get; set; }

    public List<string>? Env { get; set; }

    [JsonConverter(typeof(StrSliceConverter))]
    public List<string>? Cmd { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HealthConfig? Healthcheck { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ArgsEscaped { get; set; }

    public string Image { get; set; } = "";

    /// <summary>Set of container paths ("/data": {}).</summary>
    public Dictionary<string, EmptyObject>? Volumes { get; set; }

    public string WorkingDir { get; set; } = "";

    [JsonConverter(typeof(StrSliceConverter))]
    public List<string>? Entrypoint { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool NetworkDisabled { get; set; }

    /// <summary>Deprecated since API 1.44 (moved to the endpoint settings); still accepted from older clients.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MacAddress { get; set; }

    public List<string>? OnBuild { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StopSignal { get; set; }

    /// <summary>Seconds to wait before killing the container on stop; null means the daemon default.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? StopTimeout { get; set; }

    [JsonConverter(typeof(StrSliceConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Shell { get; set; }
}
