using System.Text.Json.Nodes;
using Berth.Cli.Parsing;

namespace Berth.Cli.Swarm;

/// <summary><c>swarm join --token TOKEN HOST:PORT</c>: docker's JoinRequest; reports the role the node joined as.</summary>
public static class SwarmJoinCommand
{
    public static readonly CommandSpec Spec = new("join", "[OPTIONS] HOST:PORT", "Join a swarm as a node and/or manager",
    [
        FlagSpec.String("advertise-addr", null, "Advertised address (format: \"<ip|interface>[:port]\")"),
        FlagSpec.String("availability", null, "Availability of the node (\"active\", \"pause\", \"drain\")", "active"),
        FlagSpec.String("data-path-addr", null, "Address or interface to use for data path traffic (format: \"<ip|interface>\")"),
        FlagSpec.String("listen-addr", null, "Listen address (format: \"<ip|interface>[:port]\")", "0.0.0.0:2377"),
        FlagSpec.String("token", null, "Token for entry into the swarm"),
    ], ArgRule.Exactly(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var body = new JsonObject
        {
            ["ListenAddr"] = SwarmInitCommand.ListenAddress(flags.StringOr("listen-addr", "0.0.0.0:2377")),
            ["AdvertiseAddr"] = flags.StringOr("advertise-addr", ""),
            ["DataPathAddr"] = flags.StringOr("data-path-addr", ""),
            ["RemoteAddrs"] = new JsonArray(flags.Positionals[0]),
            ["JoinToken"] = flags.StringOr("token", ""),
            ["Availability"] = flags.StringOr("availability", "active"),
        };
        await context.Client.JoinSwarmAsync(body, context.Cancellation);
        var info = await context.Client.InfoAsync(context.Cancellation);
        var manager = info["Swarm"]?["ControlAvailable"]?.GetValue<bool>() == true;
        context.Out.Write(manager ? "This node joined a swarm as a manager.\n" : "This node joined a swarm as a worker.\n");
        return 0;
    }
}
