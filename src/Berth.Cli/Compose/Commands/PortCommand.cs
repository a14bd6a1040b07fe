using System.Text.Json.Nodes;
using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Compose.Commands;

/// <summary><c>berth compose port SERVICE PRIVATE_PORT</c>: the host address a service's port is published on.</summary>
public static class PortCommand
{
    public static readonly ComposeCommandSpec Spec = new("port", "[OPTIONS] SERVICE PRIVATE_PORT", "Print the public port for a port binding",
    [
        FlagSpec.Int("index", null, "Index of the container if service has multiple replicas", "1"),
        FlagSpec.String("protocol", null, "tcp or udp", "tcp"),
    ], ArgRule.Exactly(2), RunAsync);

    private static async Task<int> RunAsync(ComposeSession session, ParsedFlags flags)
    {
        var context = session.Context;
        var container = await session.RunningContainerAsync(session.ExistingProject(), flags.Positionals[0], flags.Int("index") ?? 1);
        var key = $"{flags.Positionals[1]}/{flags.StringOr("protocol", "tcp")}";
        var inspect = Json.Parse(await context.Client.InspectContainerRawAsync(container.Id, false, context.Cancellation));
        if (inspect.Obj("NetworkSettings").Obj("Ports")?[key] is JsonArray { Count: > 0 } bindings)
        {
            var binding = bindings[0];
            context.Out.Write($"{binding.Str("HostIp")}:{binding.Str("HostPort")}\n");
            return 0;
        }
        throw new CliException($"no port {key} for container {container.Name}: no port published");
    }
}
