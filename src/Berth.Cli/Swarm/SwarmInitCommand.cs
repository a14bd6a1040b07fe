using System.Text.Json.Nodes;
using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary><c>swarm init</c>: docker's InitRequest; prints the new manager's ID and the worker join command.</summary>
public static class SwarmInitCommand
{
    public static readonly CommandSpec Spec = new("init", "[OPTIONS]", "Initialize a swarm",
    [
        FlagSpec.String("advertise-addr", null, "Advertised address (format: \"<ip|interface>[:port]\")"),
        FlagSpec.String("availability", null, "Availability of the node (\"active\", \"pause\", \"drain\")", "active"),
        FlagSpec.String("data-path-addr", null, "Address or interface to use for data path traffic (format: \"<ip|interface>\")"),
        FlagSpec.String("data-path-port", null, "Port number to use for data path traffic (1024 - 49151). If no value is set or is set to 0, the default port (4789) is used."),
        FlagSpec.List("default-addr-pool", null, "default address pool in CIDR format"),
        FlagSpec.String("default-addr-pool-mask-length", null, "default address pool subnet mask length", "24"),
        FlagSpec.Bool("force-new-cluster", null, "Force create a new cluster from current state"),
        FlagSpec.String("listen-addr", null, "Listen address (format: \"<ip|interface>[:port]\")", "0.0.0.0:2377"),
        .. SwarmSpecFlags.Flags,
    ], ArgRule.None, RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var spec = SwarmSpecFlags.Empty();
        SwarmSpecFlags.Merge(spec, flags);
        var pools = flags.List("default-addr-pool");
        var body = new JsonObject
        {
            ["ListenAddr"] = ListenAddress(flags.StringOr("listen-addr", "0.0.0.0:2377")),
            ["AdvertiseAddr"] = flags.StringOr("advertise-addr", ""),
            ["DataPathAddr"] = flags.StringOr("data-path-addr", ""),
            ["DataPathPort"] = uint.Parse(flags.StringOr("data-path-port", "0"), System.Globalization.CultureInfo.InvariantCulture),
            ["ForceNewCluster"] = flags.Bool("force-new-cluster"),
            ["Spec"] = spec,
            ["AutoLockManagers"] = flags.Bool("autolock"),
            ["Availability"] = flags.StringOr("availability", "active"),
            ["DefaultAddrPool"] = pools.Count == 0 ? null : new JsonArray([.. pools.Select(p => (JsonNode?)p)]),
            ["SubnetSize"] = uint.Parse(flags.StringOr("default-addr-pool-mask-length", "24"), System.Globalization.CultureInfo.InvariantCulture),
        };
        string nodeId;
        try
        {
            nodeId = await context.Client.InitSwarmAsync(body, context.Cancellation);
        }
        catch (EngineApiException e) when (e.Message.Contains("could not choose an IP address to advertise", StringComparison.Ordinal)
                                           || e.Message.Contains("could not find the system's IP address", StringComparison.Ordinal))
        {
            throw new CliException($"Error response from daemon: {e.Message} - specify one with --advertise-addr");
        }
        context.Out.Write($"Swarm initialized: current node ({nodeId}) is now a manager.\n\n");
        await SwarmSpecFlags.PrintJoinCommandAsync(context, nodeId, worker: true, manager: false);
        context.Out.Write($"To add a manager to this swarm, run '{context.ProgramName} swarm join-token manager' and follow the instructions.\n\n");
        if (flags.Bool("autolock"))
            SwarmSpecFlags.PrintUnlockCommand(context, (await context.Client.GetUnlockKeyAsync(context.Cancellation)).UnlockKey);
        return 0;
    }

    /// <summary>docker's NodeAddrOption: a bare host gets the default port 2377.</summary>
    public static string ListenAddress(string value)
    {
        if (value.StartsWith('[') ? value.Contains("]:", StringComparison.Ordinal) : value.Contains(':'))
            return value;
        return value + ":2377";
    }
}
