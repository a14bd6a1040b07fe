using System.Text.Json.Serialization;

namespace Berth.Engine.Plugins.LogDriver;

// The JSON bodies of Docker's LogDriver plugin methods, with dockerd's names (its logger.Info and ReadConfig as Go
// encodes them: field names as they are, times in RFC 3339).

/// <summary>dockerd's logger.Info: what a logging plugin learns about the container it logs for.</summary>
public sealed class LogDriverInfo
{
    public Dictionary<string, string> Config { get; set; } = [];
    public string ContainerID { get; set; } = "";
    public string ContainerName { get; set; } = "";
    public string ContainerEntrypoint { get; set; } = "";
    public List<string> ContainerArgs { get; set; } = [];
    public string ContainerImageID { get; set; } = "";
    public string ContainerImageName { get; set; } = "";
    public DateTimeOffset ContainerCreated { get; set; }
    public List<string> ContainerEnv { get; set; } = [];
    public Dictionary<string, string> ContainerLabels { get; set; } = [];
    public string LogPath { get; set; } = "";
    public string DaemonName { get; set; } = "docker";
}

public sealed class StartLoggingRequest
{
    public required string File { get; set; }
    public required LogDriverInfo Info { get; set; }
}

public sealed class StopLoggingRequest
{
    public required string File { get; set; }
}

public sealed class LogDriverErrAnswer : IPluginAnswer
{
    public string? Err { get; set; }
}

public sealed class LogDriverCapability
{
    public bool ReadLogs { get; set; }
}

public sealed class LogDriverCapabilitiesAnswer : IPluginAnswer
{
    public LogDriverCapability? Cap { get; set; }
    public string? Err { get; set; }
}

/// <summary>dockerd's ReadConfig; a time not asked for is Go's zero time (0001-01-01T00:00:00Z).</summary>
public sealed class LogDriverReadConfig
{
    public DateTimeOffset Since { get; set; } = DateTimeOffset.MinValue;
    public DateTimeOffset Until { get; set; } = DateTimeOffset.MinValue;
    /// <summary>-1: all.</summary>
    public int Tail { get; set; } = -1;
    public bool Follow { get; set; }
}

public sealed class ReadLogsRequest
{
    public required LogDriverInfo Info { get; set; }
    public required LogDriverReadConfig Config { get; set; }
}

[JsonSerializable(typeof(StartLoggingRequest))]
[JsonSerializable(typeof(StopLoggingRequest))]
[JsonSerializable(typeof(ReadLogsRequest))]
[JsonSerializable(typeof(EmptyPluginRequest))]
[JsonSerializable(typeof(LogDriverErrAnswer))]
[JsonSerializable(typeof(LogDriverCapabilitiesAnswer))]
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
public sealed partial class LogDriverJsonContext : JsonSerializerContext;
