using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Api.Json;

namespace Berth.Api;

/// <summary>
/// The one source-generated context for every Engine API body. No naming policy: Docker's names are spelled out on
/// the models. Reading is lenient like Go's encoding/json (case-insensitive names, unknown names ignored, null
/// into numbers and booleans gives zero). Use <see cref="ApiJson"/> for the options berthd and the client share.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    Converters = [typeof(LenientInt64Converter), typeof(LenientInt32Converter), typeof(LenientUInt64Converter),
        typeof(LenientUInt32Converter), typeof(LenientBooleanConverter)])]
// System
[JsonSerializable(typeof(SystemVersion))]
[JsonSerializable(typeof(SystemInfo))]
[JsonSerializable(typeof(EventMessage))]
[JsonSerializable(typeof(SystemDfResponse))]
// Containers
[JsonSerializable(typeof(ContainerConfig))]
[JsonSerializable(typeof(HostConfig))]
[JsonSerializable(typeof(NetworkingConfig))]
[JsonSerializable(typeof(ContainerCreateRequest))]
[JsonSerializable(typeof(ContainerCreateResponse))]
[JsonSerializable(typeof(ContainerSummary))]
[JsonSerializable(typeof(List<ContainerSummary>))]
[JsonSerializable(typeof(ContainerInspect))]
[JsonSerializable(typeof(ContainerWaitResponse))]
[JsonSerializable(typeof(ContainerPruneResponse))]
[JsonSerializable(typeof(ContainerTopResponse))]
[JsonSerializable(typeof(List<ContainerChange>))]
[JsonSerializable(typeof(ContainerStats))]
[JsonSerializable(typeof(ContainerUpdateRequest))]
[JsonSerializable(typeof(ContainerUpdateResponse))]
// Exec
[JsonSerializable(typeof(ExecCreateRequest))]
[JsonSerializable(typeof(ExecCreateResponse))]
[JsonSerializable(typeof(ExecStartRequest))]
[JsonSerializable(typeof(ExecInspect))]
// Images
[JsonSerializable(typeof(ImageSummary))]
[JsonSerializable(typeof(List<ImageSummary>))]
[JsonSerializable(typeof(ImageInspect))]
[JsonSerializable(typeof(List<ImageHistoryItem>))]
[JsonSerializable(typeof(List<ImageDeleteResponseItem>))]
[JsonSerializable(typeof(ImagePruneResponse))]
[JsonSerializable(typeof(List<ImageSearchResult>))]
[JsonSerializable(typeof(JsonMessage))]
[JsonSerializable(typeof(BuildResultAux))]
[JsonSerializable(typeof(BuildCachePruneResponse))]
[JsonSerializable(typeof(PushResultAux))]
// Networks
[JsonSerializable(typeof(NetworkResource))]
[JsonSerializable(typeof(List<NetworkResource>))]
[JsonSerializable(typeof(NetworkCreateRequest))]
[JsonSerializable(typeof(NetworkCreateResponse))]
[JsonSerializable(typeof(NetworkConnectRequest))]
[JsonSerializable(typeof(NetworkDisconnectRequest))]
[JsonSerializable(typeof(NetworkPruneResponse))]
[JsonSerializable(typeof(EndpointSettings))]
// Volumes
[JsonSerializable(typeof(Volume))]
[JsonSerializable(typeof(VolumeCreateRequest))]
[JsonSerializable(typeof(VolumeListResponse))]
[JsonSerializable(typeof(VolumePruneResponse))]
// Plugins
[JsonSerializable(typeof(Plugin))]
[JsonSerializable(typeof(List<Plugin>))]
[JsonSerializable(typeof(PluginConfig))]
[JsonSerializable(typeof(List<PluginPrivilege>))]
// Swarm
[JsonSerializable(typeof(SwarmCluster))]
[JsonSerializable(typeof(SwarmInitRequest))]
[JsonSerializable(typeof(SwarmJoinRequest))]
[JsonSerializable(typeof(SwarmUnlockKeyResponse))]
[JsonSerializable(typeof(SwarmNode))]
[JsonSerializable(typeof(List<SwarmNode>))]
[JsonSerializable(typeof(SwarmService))]
[JsonSerializable(typeof(List<SwarmService>))]
[JsonSerializable(typeof(ServiceCreateResponse))]
[JsonSerializable(typeof(ServiceUpdateResponse))]
[JsonSerializable(typeof(SwarmTask))]
[JsonSerializable(typeof(List<SwarmTask>))]
[JsonSerializable(typeof(SwarmSecret))]
[JsonSerializable(typeof(List<SwarmSecret>))]
[JsonSerializable(typeof(SwarmAssignment))]
[JsonSerializable(typeof(SwarmTaskReport))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
// Misc
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(AuthConfig))]
[JsonSerializable(typeof(AuthResponse))]
[JsonSerializable(typeof(PortBinding))]
[JsonSerializable(typeof(Port))]
[JsonSerializable(typeof(MountPoint))]
[JsonSerializable(typeof(Mount))]
// Loose roots the daemon and client exchange: filters, labels, port maps, build args, plain lists.
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string?>))]
[JsonSerializable(typeof(Dictionary<string, List<string>>))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, bool>>))]
[JsonSerializable(typeof(Dictionary<string, List<PortBinding>?>))]
[JsonSerializable(typeof(Dictionary<string, AuthConfig>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
