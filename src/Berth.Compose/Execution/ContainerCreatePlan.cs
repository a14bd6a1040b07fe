using System.Text.Json.Nodes;

namespace Berth.Compose.Execution;

/// <summary>
/// A container to create: the body of <c>POST /containers/create</c>, the networks to connect after create (the
/// first one is in the body), and the secrets and configs whose content is copied in (not from a file).
/// </summary>
public sealed record ContainerCreatePlan(JsonObject Body, IReadOnlyList<NetworkAttachment> LaterNetworks, IReadOnlyList<FileInjection> Injections);

public sealed record NetworkAttachment(string Network, JsonObject EndpointConfig);

/// <summary>A file written into the container before it starts.</summary>
public sealed record FileInjection(string Target, byte[] Content);
