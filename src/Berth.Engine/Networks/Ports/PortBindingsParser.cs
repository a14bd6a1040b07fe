using System.Net;
using Berth.Api;
using Berth.Api.Json;
using Berth.Oci.Errors;

namespace Berth.Engine.Networks.Ports;

/// <summary>Turns HostConfig.PortBindings, Config.ExposedPorts and PublishAllPorts into the bindings to make.</summary>
public static class PortBindingsParser
{
    /// <summary>
    /// Every published port in dockerd's order (port number, then TCP first). With <paramref name="publishAll"/>
    /// (-P) each exposed port without an explicit binding gets an ephemeral one on every address.
    /// </summary>
    public static IReadOnlyList<PortBindingRequest> Parse(IReadOnlyDictionary<string, List<PortBinding>?>? portBindings,
        IReadOnlyDictionary<string, EmptyObject>? exposedPorts, bool publishAll)
    {
        var explicitBindings = new Dictionary<ContainerPort, List<PortBinding>>();
        foreach (var (key, list) in portBindings ?? new Dictionary<string, List<PortBinding>?>())
        {
            foreach (var port in ContainerPort.ParseRange(key))
            {
                if (!explicitBindings.TryGetValue(port, out var all)) explicitBindings[port] = all = [];
                all.AddRange(list ?? []);
            }
        }
        var ports = new SortedSet<ContainerPort>(explicitBindings.Keys);
        foreach (var key in exposedPorts?.Keys ?? Enumerable.Empty<string>())
            foreach (var port in ContainerPort.ParseRange(key)) ports.Add(port);

        var requests = new List<PortBindingRequest>();
        foreach (var port in ports)
        {
            var bindings = explicitBindings.GetValueOrDefault(port) ?? [];
            foreach (var binding in bindings) requests.Add(ToRequest(port, binding));
            if (bindings.Count == 0 && publishAll) requests.Add(new PortBindingRequest(port, null, 0, 0));
        }
        return requests;
    }

    /// <summary>The container ports a container exposes: ExposedPorts plus the keys of PortBindings.</summary>
    public static IReadOnlyList<ContainerPort> ExposedPorts(IReadOnlyDictionary<string, List<PortBinding>?>? portBindings,
        IReadOnlyDictionary<string, EmptyObject>? exposedPorts)
    {
        var ports = new SortedSet<ContainerPort>();
        foreach (var key in (portBindings?.Keys ?? Enumerable.Empty<string>()).Concat(exposedPorts?.Keys ?? Enumerable.Empty<string>()))
            foreach (var port in ContainerPort.ParseRange(key)) ports.Add(port);
        return [.. ports];
    }

    private static PortBindingRequest ToRequest(ContainerPort port, PortBinding binding)
    {
        IPAddress? hostIp = null;
        string ipText = binding.HostIp.Trim('[', ']');
        if (ipText.Length > 0 && !IPAddress.TryParse(ipText, out hostIp))
            throw BerthException.Invalid($"invalid host IP address {binding.HostIp} for port {port}");
        if (binding.HostPort.Length == 0) return new PortBindingRequest(port, hostIp, 0, 0);
        var (start, end) = ContainerPort.ParsePortRange(binding.HostPort, allowZero: true)
            ?? throw BerthException.Invalid($"invalid host port {binding.HostPort} for port {port}");
        if (start == 0 && end != 0) throw BerthException.Invalid($"invalid host port {binding.HostPort} for port {port}");
        return new PortBindingRequest(port, hostIp, start, end);
    }
}
