using System.Text.Json.Serialization;

namespace Berth.Engine.Volumes;

/// <summary>One volume's metadata, kept in <c>volumes/&lt;name&gt;/volume.json</c> beside its <c>_data</c> directory.</summary>
public sealed class VolumeRecord
{
    /// <summary>Docker (API 1.42+) marks the volumes a container made for itself with this label; prune takes only those by default.</summary>
    public const string AnonymousLabel = "com.docker.volume.anonymous";

    public required string Name { get; init; }
    public string Driver { get; init; } = "local";
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Null when the creator gave none, empty when it gave an empty map (Docker shows the two apart).</summary>
    public Dictionary<string, string>? Labels { get; init; }

    /// <summary>The driver options as given (the local driver's <c>type</c>, <c>device</c>, <c>o</c>); null when none were given.</summary>
    public Dictionary<string, string>? Options { get; init; }

    /// <summary>Kept by the local driver under the data root; otherwise a volume plugin's (the driver is the plugin's name).</summary>
    [JsonIgnore]
    public bool IsLocal => Driver == "local";

    [JsonIgnore]
    public bool IsAnonymous => Labels?.ContainsKey(AnonymousLabel) == true;

    /// <summary>A volume whose data is a mount (tmpfs, a bind, a device) made while containers use it.</summary>
    [JsonIgnore]
    public bool HasMountOptions => IsLocal && LocalDriverOptions.NeedsMount(Options);
}

[JsonSerializable(typeof(VolumeRecord))]
[JsonSourceGenerationOptions(WriteIndented = false)]
internal sealed partial class VolumeJsonContext : JsonSerializerContext;
