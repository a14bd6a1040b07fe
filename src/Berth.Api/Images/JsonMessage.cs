using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Api;

/// <summary>
/// One line of a progress stream (pull, push, build, import, load): Docker's jsonmessage.JSONMessage. Every
/// field is omitempty. A failed stream ends with a message carrying both "errorDetail" and the legacy "error".
/// </summary>
public sealed class JsonMessage
{
    /// <summary>Build output text.</summary>
    [JsonPropertyName("stream")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Stream { get; set; }

    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; set; }

    [JsonPropertyName("progressDetail")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonProgress? ProgressDetail { get; set; }

    /// <summary>Pre-rendered progress bar (deprecated but still read by old clients).</summary>
    [JsonPropertyName("progress")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Progress { get; set; }

    /// <summary>Layer or image ID this line is about (short).</summary>
    [JsonPropertyName("id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Id { get; set; }

    [JsonPropertyName("from")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? From { get; set; }

    [JsonPropertyName("time")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Time { get; set; }

    [JsonPropertyName("timeNano")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long TimeNano { get; set; }

    [JsonPropertyName("errorDetail")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonError? ErrorDetail { get; set; }

    /// <summary>Legacy copy of ErrorDetail.Message.</summary>
    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; set; }

    /// <summary>Side-channel payload, e.g. {"ID": "sha256:..."} at the end of a build, or a push's digest.</summary>
    [JsonPropertyName("aux")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonElement? Aux { get; set; }

    /// <summary>A line that fails the stream with <paramref name="message"/>, both in errorDetail and error.</summary>
    public static JsonMessage Failure(string message) =>
        new() { ErrorDetail = new JsonError { Message = message }, Error = message };
}

public sealed class JsonProgress
{
    [JsonPropertyName("current")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Current { get; set; }

    [JsonPropertyName("total")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Total { get; set; }

    [JsonPropertyName("start")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long Start { get; set; }

    [JsonPropertyName("hidecounts")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool HideCounts { get; set; }

    [JsonPropertyName("units")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Units { get; set; }
}

public sealed class JsonError
{
    [JsonPropertyName("code")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Code { get; set; }

    [JsonPropertyName("message")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; set; }
}

/// <summary>The aux payload that ends a build (and commit-like streams): {"ID": "sha256:..."}.</summary>
public sealed class BuildResultAux
{
    [JsonPropertyName("ID")]
    public string ID { get; set; } = "";
}

/// <summary>The aux payload of a push: {"Tag": "latest", "Digest": "sha256:...", "Size": 527}.</summary>
public sealed class PushResultAux
{
    public string Tag { get; set; } = "";

    public string Digest { get; set; } = "";

    public long Size { get; set; }
}
