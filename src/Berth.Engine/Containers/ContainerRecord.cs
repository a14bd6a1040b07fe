using System.Text.Json.Serialization;
using Berth.Api;

namespace Berth.Engine.Containers;

/// <summary>Everything berthd keeps about one container, in <c>containers/&lt;id&gt;/container.json</c>.</summary>
public sealed class ContainerRecord
{
    public required string Id { get; init; }
    public required string Name { get; set; }
    public required DateTimeOffset Created { get; init; }
    public required string ImageId { get; init; }
    public required string Path { get; init; }
    public required List<string> Args { get; init; }
    public required ContainerConfig Config { get; init; }
    public required HostConfig HostConfig { get; set; }
    public ContainerState State { get; set; } = new();
    public int RestartCount { get; set; }
    public bool HasBeenStartedBefore { get; set; }
    public bool HasBeenManuallyStopped { get; set; }
    public List<string> AnonymousVolumes { get; set; } = [];
    /// <summary>Binds, volumes and tmpfs mounts resolved at create; null for records made before volumes existed.</summary>
    public List<Volumes.MountPointRecord>? MountPoints { get; set; }
    public Networks.ContainerNetworking Networking { get; set; } = new();

    public string ShortId => Id[..12];
}

[JsonSerializable(typeof(ContainerRecord))]
[JsonSourceGenerationOptions(WriteIndented = false)]
internal sealed partial class ContainerJsonContext : JsonSerializerContext;
