using System.Text.Json.Nodes;
using Berth.Compose.Model;

namespace Berth.Compose.Execution;

/// <summary>A service's ports and expose as the engine takes them: Config.ExposedPorts and HostConfig.PortBindings.</summary>
public static class PortMapping
{
    public static JsonObject ExposedPorts(IEnumerable<ServicePort> ports, IEnumerable<string> expose)
    {
        var exposed = new JsonObject();
        foreach (var port in ports)
            exposed[Key(port)] = new JsonObject();
        foreach (var key in expose)
            exposed[key.Contains('/') ? key : key + "/tcp"] = new JsonObject();
        return exposed;
    }

    /// <summary>Each published port under its "target/proto" key; an unset published port lets the daemon choose.</summary>
    public static JsonObject PortBindings(IEnumerable<ServicePort> ports)
    {
        var bindings = new JsonObject();
        foreach (var port in ports)
        {
            string key = Key(port);
            if (bindings[key] is not JsonArray list)
                bindings[key] = list = [];
            list.Add((JsonNode)new JsonObject { ["HostIp"] = port.HostIp ?? "", ["HostPort"] = port.Published ?? "" });
        }
        return bindings;
    }

    private static string Key(ServicePort port) => $"{port.Target}/{(string.IsNullOrEmpty(port.Protocol) ? "tcp" : port.Protocol)}";
}
