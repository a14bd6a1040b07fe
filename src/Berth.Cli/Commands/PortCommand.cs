using System.Globalization;
using Berth.Client;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>port</c>: the published ports from the container's inspect, as docker lists them.</summary>
public static class PortCommand
{
    public static readonly CommandSpec Spec = new("port", "CONTAINER [PRIVATE_PORT[/PROTO]]", "List port mappings or a specific mapping for the container",
        [], ArgRule.Between(1, 2), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var name = flags.Positionals[0];
        var container = Json.Parse(await context.Client.InspectContainerRawAsync(name, false, context.Cancellation));
        var ports = container.Obj("NetworkSettings").Obj("Ports") ?? [];
        var text = new System.Text.StringBuilder();
        if (flags.Positionals.Count == 2)
        {
            var wanted = flags.Positionals[1];
            var key = wanted.Contains('/') ? wanted : wanted + "/tcp";
            if (ports[key] is System.Text.Json.Nodes.JsonArray { Count: > 0 } bindings)
            {
                foreach (var binding in bindings)
                    text.Append(HostPort(binding)).Append('\n');
                context.Out.Write(text.ToString());
                return 0;
            }
            throw new CliException($"Error: No public port '{wanted}' published for {name}");
        }
        var keys = ports.Select(kv => kv.Key).OrderBy(k => int.Parse(k.Split('/')[0], CultureInfo.InvariantCulture)).ThenBy(k => k, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (ports[key] is not System.Text.Json.Nodes.JsonArray bindings)
                continue;
            foreach (var binding in bindings)
                text.Append(key).Append(" -> ").Append(HostPort(binding)).Append('\n');
        }
        context.Out.Write(text.ToString());
        return 0;
    }

    private static string HostPort(System.Text.Json.Nodes.JsonNode? binding)
    {
        var ip = binding.Str("HostIp");
        var port = binding.Str("HostPort");
        return ip.Contains(':') ? $"[{ip}]:{port}" : $"{ip}:{port}";
    }
}
