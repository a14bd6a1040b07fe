using System.Text.Json.Nodes;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>network create</c>: the API body docker builds from its flags; prints the new ID.</summary>
public static class NetworkCreateCommand
{
    public static readonly CommandSpec Spec = new("create", "[OPTIONS] NETWORK", "Create a network",
    [
        FlagSpec.List("aux-address", null, "Auxiliary IPv4 or IPv6 addresses used by Network driver"),
        FlagSpec.Bool("attachable", null, "Enable manual container attachment"),
        FlagSpec.String("driver", 'd', "Driver to manage the Network", "bridge"),
        FlagSpec.List("gateway", null, "IPv4 or IPv6 Gateway for the master subnet"),
        FlagSpec.Bool("internal", null, "Restrict external access to the network"),
        FlagSpec.List("ip-range", null, "Allocate container ip from a sub-range"),
        FlagSpec.String("ipam-driver", null, "IP Address Management Driver", "default"),
        FlagSpec.Bool("ipv6", null, "Enable or disable IPv6 networking"),
        FlagSpec.List("label", null, "Set metadata on a network"),
        FlagSpec.List("opt", 'o', "Set driver specific options"),
        FlagSpec.List("subnet", null, "Subnet in CIDR format that represents a network segment"),
    ], ArgRule.Exactly(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var subnets = flags.List("subnet");
        var gateways = flags.List("gateway");
        var ranges = flags.List("ip-range");
        if (gateways.Count > subnets.Count || ranges.Count > subnets.Count)
            throw new CliException("every ip-range or gateway must have a corresponding subnet");
        var config = new JsonArray();
        for (var i = 0; i < subnets.Count; i++)
        {
            var pool = new JsonObject { ["Subnet"] = subnets[i] };
            if (i < ranges.Count) pool["IPRange"] = ranges[i];
            if (i < gateways.Count) pool["Gateway"] = gateways[i];
            if (i == 0 && flags.List("aux-address").Count > 0) pool["AuxiliaryAddresses"] = KeyValueFlags.ToObject(flags.List("aux-address"));
            config.Add((JsonNode)pool);
        }
        var body = new JsonObject
        {
            ["Name"] = flags.Positionals[0],
            ["Driver"] = flags.StringOr("driver", "bridge"),
            ["EnableIPv6"] = flags.Bool("ipv6"),
            ["IPAM"] = new JsonObject { ["Driver"] = flags.StringOr("ipam-driver", "default"), ["Config"] = config, ["Options"] = new JsonObject() },
            ["Internal"] = flags.Bool("internal"),
            ["Attachable"] = flags.Bool("attachable"),
            ["Options"] = KeyValueFlags.ToObject(flags.List("opt")),
            ["Labels"] = KeyValueFlags.ToObject(flags.List("label")),
        };
        var id = await context.Client.CreateNetworkAsync(body, context.Cancellation);
        context.Out.Write(id + "\n");
        return 0;
    }
}
