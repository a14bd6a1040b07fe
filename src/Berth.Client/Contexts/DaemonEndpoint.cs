using Berth.Client.Hosts;

namespace Berth.Client.Contexts;

/// <summary>Where the client connects, and the context that said so.</summary>
public sealed record DaemonEndpoint(string ContextName, DaemonHost Host, TlsSettings? Tls);
