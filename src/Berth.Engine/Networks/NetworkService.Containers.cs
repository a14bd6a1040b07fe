using System.Net;
using System.Security.Cryptography;
using Berth.Api;
using Berth.Engine.Containers;
using Berth.Engine.Networks.Bridge;
using Berth.Engine.Networks.Dns;
using Berth.Engine.Networks.Netlink;
using Berth.Engine.Networks.Ports;
using Berth.Engine.Runtime.Bundle;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks;

public sealed partial class NetworkService : IContainerNetworking
{
    /// <summary>
    /// At create: the endpoints a container asks for (its primary network first, then NetworkingConfig's others),
    /// checked as dockerd checks them. container:&lt;id&gt; mode has none.
    /// </summary>
    public List<ContainerEndpoint> PlanEndpoints(HostConfig host, NetworkingConfig? networking, string? configMac)
    {
        var settings = networking?.EndpointsConfig ?? new Dictionary<string, EndpointSettings?>();
        string mode = PrimaryNetwork(host.NetworkMode, settings.Keys);
        if (mode.StartsWith("container:", StringComparison.Ordinal)) return [];
        foreach (string link in host.Links ?? [])
        {
            string linked = link.Split(':', 2)[0].TrimStart('/');
            if (_containers.TryGet(linked) is null)
                // 400, not 404: the docker CLI reads a 404 from create as a missing image and tries to pull it.
                throw BerthException.Invalid($"could not get container for {linked}: No such container: {linked}");
        }
        var names = new List<string> { mode };
        names.AddRange(settings.Keys.Where(k => k != mode && !(mode == "bridge" && k == "default")));
        var endpoints = new List<ContainerEndpoint>();
        foreach (string name in names)
        {
            // bridge=none: dockerd runs such a container with its loopback only.
            if (name == "bridge" && DefaultBridge.BridgeDisabled && _store.TryGet(name) is not { IsDefaultBridge: true }) continue;
            var network = _store.Get(name);
            if (endpoints.Any(e => e.NetworkId == network.Id)) continue;
            var requested = settings.GetValueOrDefault(name) ?? (mode == "bridge" ? settings.GetValueOrDefault("default") : null);
            string? ip = requested?.IPAMConfig?.IPv4Address is { Length: > 0 } given ? given : null;
            string? ip6 = requested?.IPAMConfig?.IPv6Address is { Length: > 0 } given6 ? given6 : null;
            string? mac = requested?.MacAddress is { Length: > 0 } m ? m : endpoints.Count == 0 && configMac is { Length: > 0 } c ? c : null;
            if (ip is not null)
            {
                if (network.IsDefaultBridge || !network.IsBridge)
                    throw BerthException.Invalid("user specified IP address is supported on user defined networks only");
                if (!IPAddress.TryParse(ip, out _)) throw BerthException.Invalid($"invalid IPv4 address: {ip}");
            }
            if (ip6 is not null)
            {
                if (network.IsDefaultBridge || !network.IsBridge)
                    throw BerthException.Invalid("user specified IP address is supported on user defined networks only");
                if (!IPAddress.TryParse(ip6, out var parsed6) || parsed6.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
                    throw BerthException.Invalid($"invalid IPv6 address: {ip6}");
            }
            if (mac is not null) MacAddress.Parse(mac);
            if (requested?.Aliases is { Count: > 0 } && (network.IsDefaultBridge || !network.IsBridge))
                throw BerthException.Invalid("network-scoped alias is supported only for containers in user defined networks");
            if (!network.IsBridge && names.Count > 1)
                throw BerthException.Invalid($"container cannot be connected to network endpoints: {string.Join(", ", names)}");
            endpoints.Add(new ContainerEndpoint
            {
                NetworkId = network.Id,
                NetworkName = network.Name,
                RequestedIp = ip,
                RequestedIp6 = ip6,
                RequestedMac = mac,
                IpamConfig = requested?.IPAMConfig,
                DriverOpts = requested?.DriverOpts,
                Aliases = requested?.Aliases is { Count: > 0 } aliases ? [.. aliases] : null,
                Links = requested?.Links is { Count: > 0 } links ? [.. links] : null,
            });
        }
        return endpoints;
    }

    /// <summary>
    /// The network a container joins first. A NetworkMode left to the default means the default bridge only when
    /// NetworkingConfig names no network: dockerd joins such a container to the networks named there and not to the
    /// bridge as well (Testcontainers' WithNetwork sends exactly that, and reads the container's address off its
    /// first network).
    /// </summary>
    public static string PrimaryNetwork(string networkMode, IEnumerable<string> endpointNames)
    {
        if (networkMode is not ("" or "default")) return networkMode;
        return endpointNames.FirstOrDefault(name => name is not ("" or "default")) ?? "bridge";
    }

    public async Task<NetworkSetup> SetUpAsync(ContainerRecord container, CancellationToken cancellationToken)
    {
        string mode = container.HostConfig.NetworkMode;
        if (mode == "host") return new NetworkSetup(NamespaceMode.Host, [], null);
        if (mode.StartsWith("container:", StringComparison.Ordinal))
        {
            string target = mode["container:".Length..];
            var other = _containers.Get(target);
            if (!other.State.Running) throw BerthException.Conflict($"cannot join network of a non running container: {other.Id}");
            string path = other.Networking.SandboxKey is { Length: > 0 } key ? key : $"/proc/{other.State.Pid}/ns/net";
            return new NetworkSetup(NamespaceMode.Join(path), [], null);
        }

        string netns = NetnsPathOf(container.Id);
        try
        {
            if (File.Exists(netns)) NetworkNamespace.Delete(netns);
            NetworkNamespace.Create(netns);
            container.Networking.SandboxKey = netns;
            container.Networking.SandboxId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            // Addresses now, as the container's /etc/hosts is written from them before runc creates it.
            var attachments = new List<(NetworkRecord Network, ContainerEndpoint Endpoint)>();
            foreach (var endpoint in container.Networking.Endpoints)
            {
                // Made while there was a default bridge, started after the daemon came back with bridge=none.
                if (endpoint.NetworkName == "bridge" && DefaultBridge.BridgeDisabled && _store.TryGet(endpoint.NetworkId) is null) continue;
                var network = _store.Get(endpoint.NetworkId);
                if (!network.IsBridge) continue;
                CheckAttachable(container, network);
                Allocate(network, endpoint);
                attachments.Add((network, endpoint));
            }
            var first = attachments.Count > 0 ? attachments[0].Endpoint : null;
            bool userNetwork = attachments.Any(a => !a.Network.IsDefaultBridge);

            // dockerd writes the linked containers before the container's own line.
            var hosts = LinkedHosts(container);
            if (first is not null)
            {
                string hostname = container.Config.Hostname;
                string names = string.IsNullOrEmpty(container.Config.Domainname) ? hostname : $"{hostname}.{container.Config.Domainname} {hostname}";
                hosts.Add($"{first.IPAddress}\t{names}");
                // dockerd's second line for a container with an IPv6 address on its first network.
                if (first.GlobalIPv6Address.Length > 0) hosts.Add($"{first.GlobalIPv6Address}\t{names}");
            }
            var resolvConf = userNetwork ? EmbeddedResolvConf(container.HostConfig) : null;

            // The devices, routes, published ports and DNS are made while runc creates the container (a namespace
            // only needs to exist for runc to join it); the container's program starts once they are in place.
            // net.* sysctls are the exception: runc writes them at create, and they may name the interfaces.
            var wiring = Task.Run(() => WireAsync(container, netns, attachments, userNetwork), CancellationToken.None);
            if (container.HostConfig.Sysctls?.Keys.Any(Sysctl.IsNetworkScoped) == true) await wiring;
            return new NetworkSetup(NamespaceMode.Join(netns), hosts, resolvConf) { Ready = wiring };
        }
        catch
        {
            await TearDownAsync(container);
            throw;
        }
    }

    /// <summary>
    /// The start becomes real: dockerd's connect event for each network the container joined, just before its start
    /// event. A start prepared ahead of time and undone never reaches this, and so reports nothing.
    /// </summary>
    public void ReportConnected(ContainerRecord container)
    {
        _announced[container.Id] = true;
        foreach (var endpoint in container.Networking.Endpoints)
            if (endpoint.IPAddress.Length > 0 && _store.TryGet(endpoint.NetworkId) is { } network)
                Publish(network, "connect", new Dictionary<string, string> { ["container"] = container.Id });
    }

    /// <summary>The second half of <see cref="SetUpAsync"/>: loopback, endpoints, published ports, DNS.</summary>
    private async Task WireAsync(ContainerRecord container, string netns, List<(NetworkRecord Network, ContainerEndpoint Endpoint)> attachments, bool userNetwork)
    {
        BridgeDriver.BringUpLoopback(netns);
        var live = _live.GetOrAdd(container.Id, _ => new LiveSandbox());
        for (int index = 0; index < attachments.Count; index++) ConnectEndpoint(container, attachments[index].Network, attachments[index].Endpoint, index);
        var first = attachments.Count > 0 ? attachments[0].Endpoint : null;
        var exposed = PortBindingsParser.ExposedPorts(container.HostConfig.PortBindings, container.Config.ExposedPorts);
        var requests = PortBindingsParser.Parse(container.HostConfig.PortBindings, container.Config.ExposedPorts, container.HostConfig.PublishAllPorts);
        // A port that names no host address binds the network's host_binding_ipv4 (the daemon's "ip" on the default bridge).
        if (first is not null && BridgeOptions.Parse(attachments[0].Network.Options).HostBindingIp is { } bindingIp)
            requests = [.. requests.Select(r => r.HostIp is null ? r with { HostIp = bindingIp } : r)];
        if (first is not null && requests.Count > 0)
        {
            live.Ports = await _publisher.PublishAsync(IPAddress.Parse(first.IPAddress), requests, container.Name.TrimStart('/'), first.EndpointId,
                Address6Of(first));
            container.Networking.Ports = live.Ports.ToPortMap(exposed);
        }
        else
        {
            container.Networking.Ports = first is null ? [] : exposed.ToDictionary(p => p.ToString(), _ => (List<PortBinding>?)null);
        }
        if (userNetwork) live.Dns = _dns.ListenInNamespace(netns, new ContainerDnsRecords(this, container.Id));
        // No save here: the start awaits this wiring and then saves the record (running, with these ports) before it
        // answers; a failed start saves it after the teardown.
    }

    /// <summary>
    /// --link on the default bridge: "IP\talias id name" lines for each linked container, which must be running there.
    /// </summary>
    private List<string> LinkedHosts(ContainerRecord container)
    {
        var lines = new List<string>();
        foreach (string link in container.HostConfig.Links ?? [])
        {
            var parts = link.Split(':', 2);
            string name = parts[0].TrimStart('/');
            string alias = parts.Length == 2 ? parts[1][(parts[1].LastIndexOf('/') + 1)..] : name;
            var target = _containers.TryGet(name);
            string me = container.Name;
            var endpoint = target?.Networking.Endpoints.FirstOrDefault(e => e.NetworkName == "bridge" && e.IPAddress.Length > 0);
            if (target is null || !target.State.Running || endpoint is null)
                throw BerthException.Conflict($"Cannot link to a non running container: /{name} AS {me}/{alias}");
            string targetName = target.Name.TrimStart('/');
            lines.Add(alias == targetName
                ? $"{endpoint.IPAddress}\t{alias} {target.ShortId}"
                : $"{endpoint.IPAddress}\t{alias} {target.ShortId} {targetName}");
        }
        return lines;
    }

    private static readonly TimeSpan NamespaceTeardownWait = TimeSpan.FromMilliseconds(500);

    public async Task TearDownAsync(ContainerRecord container)
    {
        if (_live.TryRemove(container.Id, out var live)) await live.DisposeAsync();
        // The namespace goes first: once nothing holds it the kernel destroys its devices, and the host end of each
        // veth with them, in one batch for all the namespaces dying together. Deleting veths one by one serialises on
        // the kernel's RTNL lock (10-45 ms each while 30 containers were removed at once). An endpoint whose host end
        // stays (the namespace still held, e.g. by a container sharing it) is deleted as before.
        string netns = NetnsPathOf(container.Id);
        if (File.Exists(netns)) NetworkNamespace.Delete(netns);
        bool announced = _announced.TryRemove(container.Id, out _);
        var left = new List<string>();
        foreach (var endpoint in container.Networking.Endpoints)
        {
            if (endpoint.EndpointId.Length > 0) await _bridges.WaitGoneAsync(endpoint.EndpointId, NamespaceTeardownWait);
            if (endpoint.IPAddress.Length > 0) left.Add(endpoint.NetworkId);
            Detach(endpoint);
        }
        // dockerd's disconnect events, last network first, for a container whose start was reported (not one prepared
        // ahead and undone); an endpoint torn down before (no address) is not reported twice.
        for (int i = left.Count - 1; announced && i >= 0; i--)
            if (_store.TryGet(left[i]) is { } network) Publish(network, "disconnect", new Dictionary<string, string> { ["container"] = container.Id });
        container.Networking.SandboxKey = "";
        container.Networking.SandboxId = "";
        container.Networking.Ports = [];
        // Not saved here: every caller writes the record once after its own changes (an exit, a failed start) or
        // deletes it (rm, --rm), and a record written with the endpoints still in it only costs a second teardown
        // (of devices already gone) after a crash.
    }

    /// <summary>network connect: recorded for a stopped container, attached at once to a running one.</summary>
    public void Connect(string networkIdOrName, string containerIdOrName, EndpointSettings? settings)
    {
        // dockerd looks the container up first: `connect nosuch nosuch` names the container.
        var container = _containers.Get(containerIdOrName);
        var network = _store.Get(networkIdOrName);
        string mode = container.HostConfig.NetworkMode;
        if (!network.IsBridge || mode is "host")
            throw BerthException.Forbidden("container cannot be disconnected from host network or connected to host network");
        if (mode is "none" || mode.StartsWith("container:", StringComparison.Ordinal))
            throw BerthException.Forbidden("container sharing network namespace with another container or host cannot be connected to any other network");
        CheckAttachable(container, network);
        ContainerEndpoint endpoint;
        lock (_gate)
        {
            // dockerd refuses an IP or alias on the default bridge before it looks for an existing endpoint.
            var networking = new NetworkingConfig { EndpointsConfig = new() { [network.Name] = settings } };
            endpoint = PlanEndpoints(new HostConfig { NetworkMode = network.Name }, networking, null)[0];
            if (container.Networking.Find(network.Id) is not null)
                throw BerthException.Forbidden($"endpoint with name {container.Name.TrimStart('/')} already exists in network {network.Name}");
            if (container.State.Running && container.Networking.SandboxKey.Length > 0)
            {
                Attach(container, network, endpoint, container.Networking.Endpoints.Count);
                var live = _live.GetOrAdd(container.Id, _ => new LiveSandbox());
                if (live.Dns is null && !network.IsDefaultBridge)
                    live.Dns = _dns.ListenInNamespace(container.Networking.SandboxKey, new ContainerDnsRecords(this, container.Id));
            }
            container.Networking.Endpoints.Add(endpoint);
            _containers.Save(container);
        }
        // A stopped container joins at its start, which reports it then (as dockerd does).
        if (endpoint.EndpointId.Length > 0) Publish(network, "connect", new Dictionary<string, string> { ["container"] = container.Id });
    }

    /// <summary>network disconnect: detaches and forgets the endpoint.</summary>
    public void Disconnect(string networkIdOrName, string containerIdOrName, bool force)
    {
        var container = _containers.TryGet(containerIdOrName);
        if (container is null)
        {
            if (!force) throw BerthException.NotFound($"No such container: {containerIdOrName}");
            // dockerd's forced delete of an endpoint whose container is gone: berthd keeps no such endpoints.
            _store.Get(networkIdOrName);
            throw BerthException.NotFound($"endpoint {containerIdOrName} not found");
        }
        var network = _store.Get(networkIdOrName);
        if (!network.IsBridge)
            throw BerthException.Forbidden("container cannot be disconnected from host network or connected to host network");
        bool live;
        lock (_gate)
        {
            var endpoint = container.Networking.Find(network.Id)
                ?? throw BerthException.Forbidden($"container {container.Id} is not connected to network {network.Name}");
            live = endpoint.IPAddress.Length > 0;
            Detach(endpoint);
            container.Networking.Endpoints.Remove(endpoint);
            _containers.Save(container);
        }
        // As for connect: a stopped container's change is not an event.
        if (live) Publish(network, "disconnect", new Dictionary<string, string> { ["container"] = container.Id });
    }

    /// <summary>Allocates, makes the veth and fills the endpoint's runtime fields.</summary>
    private void Attach(ContainerRecord container, NetworkRecord network, ContainerEndpoint endpoint, int index)
    {
        Allocate(network, endpoint);
        try
        {
            ConnectEndpoint(container, network, endpoint, index);
        }
        catch
        {
            AllocatorOf(network).Release(IPAddress.Parse(endpoint.IPAddress));
            endpoint.IPAddress = "";
            if (endpoint.GlobalIPv6Address.Length > 0) Allocator6Of(network)?.Release(IPAddress.Parse(endpoint.GlobalIPv6Address));
            endpoint.GlobalIPv6Address = "";
            throw;
        }
    }

    /// <summary>Takes the endpoint's address (the requested one, or the next free); <see cref="Detach"/> gives it back.</summary>
    private void Allocate(NetworkRecord network, ContainerEndpoint endpoint)
    {
        var address = AllocatorOf(network).Allocate(endpoint.RequestedIp is null ? null : IPAddress.Parse(endpoint.RequestedIp));
        endpoint.IPAddress = address.ToString();
        // --ip6 on a network without IPv6 is ignored, as dockerd ignores it.
        if (Allocator6Of(network) is not { } allocator6) return;
        try
        {
            endpoint.GlobalIPv6Address = allocator6.Allocate(endpoint.RequestedIp6 is null ? null : IPAddress.Parse(endpoint.RequestedIp6)).ToString();
        }
        catch
        {
            AllocatorOf(network).Release(address);
            endpoint.IPAddress = "";
            throw;
        }
    }

    private static IPAddress? Address6Of(ContainerEndpoint endpoint) =>
        endpoint.GlobalIPv6Address.Length > 0 ? IPAddress.Parse(endpoint.GlobalIPv6Address) : null;

    /// <summary>Makes the veth pair for an endpoint whose address is allocated, and records what it got.</summary>
    private void ConnectEndpoint(ContainerRecord container, NetworkRecord network, ContainerEndpoint endpoint, int index)
    {
        string endpointId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var attachment = _bridges.Connect(BridgeOf(network), new BridgeEndpoint(endpointId, container.Networking.SandboxKey, IPAddress.Parse(endpoint.IPAddress))
        {
            Address6 = Address6Of(endpoint),
            InterfaceName = $"eth{index}",
            DefaultRoute = index == 0,
            Mac = endpoint.RequestedMac is null ? null : MacAddress.Parse(endpoint.RequestedMac),
        });
        endpoint.EndpointId = endpointId;
        endpoint.IPPrefixLen = attachment.PrefixLength;
        endpoint.Gateway = network.AuxiliaryAddresses?.GetValueOrDefault(DefaultGatewayAuxKey) ?? network.Gateway ?? "";
        endpoint.MacAddress = attachment.Mac.ToString();
        endpoint.InterfaceName = attachment.ContainerInterface;
        if (attachment.Address6 is not null)
        {
            endpoint.GlobalIPv6PrefixLen = attachment.PrefixLength6;
            // As the IPv4 Gateway: the network's, whether or not it is this container's default route.
            endpoint.IPv6Gateway = network.Ipv6?.Gateway ?? "";
        }
    }

    /// <summary>Removes an endpoint's devices and gives back its address (also one allocated but never connected).</summary>
    private void Detach(ContainerEndpoint endpoint)
    {
        if (endpoint.EndpointId.Length > 0) _bridges.Disconnect(endpoint.EndpointId);
        if (endpoint.IPAddress.Length > 0 && _store.TryGet(endpoint.NetworkId) is { IsBridge: true } network)
            AllocatorOf(network).Release(IPAddress.Parse(endpoint.IPAddress));
        if (endpoint.GlobalIPv6Address.Length > 0 && _store.TryGet(endpoint.NetworkId) is { IsBridge: true } network6)
            Allocator6Of(network6)?.Release(IPAddress.Parse(endpoint.GlobalIPv6Address));
        endpoint.ClearRuntime();
    }

    /// <summary>After a daemon restart: the proxies and DNS sockets of a running container live in the daemon, so make them again.</summary>
    private async Task RestoreAsync(ContainerRecord container)
    {
        var first = container.Networking.Endpoints.FirstOrDefault(e => e.EndpointId.Length > 0);
        if (first is null || container.Networking.SandboxKey.Length == 0) return;
        _announced[container.Id] = true; // its start was reported by the daemon before this one
        var live = _live.GetOrAdd(container.Id, _ => new LiveSandbox());
        var requests = new List<PortBindingRequest>();
        foreach (var (key, bindings) in container.Networking.Ports)
            foreach (var binding in bindings ?? [])
                requests.Add(new PortBindingRequest(ContainerPort.Parse(key), IPAddress.Parse(binding.HostIp), int.Parse(binding.HostPort), int.Parse(binding.HostPort)));
        // One request per port and address family pair: the publisher binds both families for an unspecified address itself.
        if (requests.Count > 0)
            live.Ports = await _publisher.PublishAsync(IPAddress.Parse(first.IPAddress), requests, container.Name.TrimStart('/'), first.EndpointId,
                Address6Of(first));
        if (container.Networking.Endpoints.Any(e => e.EndpointId.Length > 0 && _store.TryGet(e.NetworkId) is { IsDefaultBridge: false }))
            live.Dns = _dns.ListenInNamespace(container.Networking.SandboxKey, new ContainerDnsRecords(this, container.Id));
    }

    /// <summary>resolv.conf on user-defined networks: the embedded server, the host's search domains and options, ndots:0.</summary>
    private string EmbeddedResolvConf(HostConfig host)
    {
        var lines = ResolvConf.For(host, DaemonDns).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("nameserver", StringComparison.Ordinal)).ToList();
        int options = lines.FindIndex(l => l.StartsWith("options", StringComparison.Ordinal));
        lines.Insert(options < 0 ? lines.Count : options, "nameserver " + EmbeddedDns.ContainerAddress);
        options = lines.FindIndex(l => l.StartsWith("options", StringComparison.Ordinal));
        if (options < 0) lines.Add("options ndots:0");
        else if (!lines[options].Contains("ndots:", StringComparison.Ordinal)) lines[options] += " ndots:0";
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>Names the embedded DNS answers for one container: names, short IDs and aliases on its user-defined networks.</summary>
    internal IReadOnlyList<IPAddress>? Lookup(string containerId, string name)
    {
        var self = _containers.TryGet(containerId);
        if (self is null) return null;
        var networks = SharedUserNetworks(self);
        var result = new List<IPAddress>();
        foreach (var other in _containers.List().Where(c => c.State.Running))
        {
            foreach (var endpoint in other.Networking.Endpoints)
            {
                if (endpoint.EndpointId.Length == 0 || !networks.TryGetValue(endpoint.NetworkId, out var networkName)) continue;
                string wanted = name.EndsWith("." + networkName, StringComparison.OrdinalIgnoreCase) ? name[..^(networkName.Length + 1)] : name;
                if (DnsNamesOf(other, endpoint).Concat(SwarmDnsNamesOf(other)).Any(n => string.Equals(n, wanted, StringComparison.OrdinalIgnoreCase)))
                {
                    result.Add(IPAddress.Parse(endpoint.IPAddress));
                    // The AAAA answer of a dual-stack network.
                    if (Address6Of(endpoint) is { } address6) result.Add(address6);
                }
            }
        }
        foreach (var (networkId, networkName) in networks)
        {
            string wanted = name.EndsWith("." + networkName, StringComparison.OrdinalIgnoreCase) ? name[..^(networkName.Length + 1)] : name;
            result.AddRange(RemoteAddressesOf(networkId, wanted));
        }
        return result.Count == 0 ? null : result;
    }

    internal string? ReverseLookup(string containerId, IPAddress address)
    {
        var self = _containers.TryGet(containerId);
        if (self is null) return null;
        var networks = SharedUserNetworks(self);
        string text = address.ToString();
        foreach (var other in _containers.List().Where(c => c.State.Running))
            foreach (var endpoint in other.Networking.Endpoints)
                if ((endpoint.IPAddress == text || Address6Of(endpoint)?.Equals(address) == true) && networks.TryGetValue(endpoint.NetworkId, out var networkName))
                    return $"{other.Name.TrimStart('/')}.{networkName}";
        foreach (var (networkId, networkName) in networks)
            if (RemoteNameOf(networkId, address) is { } remote) return $"{remote}.{networkName}";
        return null;
    }

    /// <summary>DNSNames of inspect: the container's name, short ID, aliases (and hostname when it differs) on user networks.</summary>
    public static List<string> DnsNamesOf(ContainerRecord container, ContainerEndpoint endpoint)
    {
        var names = new List<string> { container.Name.TrimStart('/'), container.ShortId };
        foreach (var alias in endpoint.Aliases ?? []) if (!names.Contains(alias)) names.Add(alias);
        if (container.Config.Hostname is { Length: > 0 } hostname && !names.Contains(hostname)) names.Add(hostname);
        return names;
    }

    private Dictionary<string, string> SharedUserNetworks(ContainerRecord container) =>
        container.Networking.Endpoints
            .Where(e => e.EndpointId.Length > 0 && _store.TryGet(e.NetworkId) is { IsDefaultBridge: false, IsBridge: true })
            .ToDictionary(e => e.NetworkId, e => e.NetworkName, StringComparer.Ordinal);

    /// <summary>What a running container holds in the daemon itself.</summary>
    private sealed class LiveSandbox : IAsyncDisposable
    {
        public PortPublication? Ports { get; set; }
        public DnsListener? Dns { get; set; }

        public async ValueTask DisposeAsync()
        {
            if (Dns is not null) await Dns.DisposeAsync();
            if (Ports is not null) await Ports.DisposeAsync();
        }
    }

    private sealed class ContainerDnsRecords(NetworkService service, string containerId) : IDnsRecords
    {
        public IReadOnlyList<IPAddress>? Lookup(string name) => service.Lookup(containerId, name);

        public string? ReverseLookup(IPAddress address) => service.ReverseLookup(containerId, address);
    }
}
