using System.Text.Json.Serialization;
using Berth.Api.Json;

namespace Berth.Api;

/// <summary>Body of POST /containers/{id}/exec.</summary>
public sealed class ExecCreateRequest
{
    public string User { get; set; } = "";

    public bool Privileged { get; set; }

    public bool Tty { get; set; }

    /// <summary>[height, width]; omitted when not given.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long[]? ConsoleSize { get; set; }

    public bool AttachStdin { get; set; }

    public bool AttachStderr { get; set; }

    public bool AttachStdout { get; set; }

    public bool Detach { get; set; }

    public string DetachKeys { get; set; } = "";

    public List<string>? Env { get; set; }

    public string WorkingDir { get; set; } = "";

    [JsonConverter(typeof(StrSliceConverter))]
    public List<string>? Cmd { get; set; }
}

/// <summary>Reply of POST /containers/{id}/exec: {"Id": "..."}.</summary>
public sealed class ExecCreateResponse
{
    public string Id { get; set; } = "";
}

/// <summary>Body of POST /exec/{id}/start.</summary>
public sealed class ExecStartRequest
{
    public bool Detach { get; set; }

    public bool Tty { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long[]? ConsoleSize { get; set; }
}

/// <summary>Reply of GET /exec/{id}/json. ExitCode is null while the process has not exited.</summary>
public sealed class ExecInspect
{
    [JsonPropertyName("ID")]
    public string ID { get; set; } = "";

    public bool Running { get; set; }

    public int? ExitCode { get; set; }

    public ExecProcessConfig? ProcessConfig { get; set; }

    public bool OpenStdin { get; set; }

    public bool OpenStderr { get; set; }

    public bool OpenStdout { get; set; }

    public bool CanRemove { get; set; }

    public string ContainerID { get; set; } = "";

    /// <summary>Go []byte, so base64 on the wire ("" when none).</summary>
    public string DetachKeys { get; set; } = "";

    public int Pid { get; set; }
}

/// <summary>ExecInspect.ProcessConfig: lower-case names.</summary>
public sealed class ExecProcessConfig
{
    [JsonPropertyName("tty")]
    public bool Tty { get; set; }

    [JsonPropertyName("entrypoint")]
    public string Entrypoint { get; set; } = "";

    [JsonPropertyName("arguments")]
    public List<string> Arguments { get; set; } = [];

    [JsonPropertyName("privileged")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Privileged { get; set; }

    [JsonPropertyName("user")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? User { get; set; }
}
