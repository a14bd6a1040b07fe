using System.Text.Json.Nodes;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary><c>network connect</c> and <c>network disconnect</c>: silent on success, like docker.</summary>
public static class NetworkConnectCommand
{
    public static readonly CommandSpec ConnectSpec = new("connect", "[OPTIONS] NETWORK CONTAINER", "Connect a container to a network",
    [
        FlagSpec.List("alias", null, "Add network-scoped alias for the container"),
        FlagSpec.List("driver-opt", null, "driver options for the network"),
        FlagSpec.String("ip", null, "IPv4 address (e.g., \"172.30.100.104\")"),
        FlagSpec.String("ip6", null, "IPv6 address (e.g., \"2001:db8::33\")"),
        FlagSpec.List("link", null, "Add link to another container"),
        FlagSpec.List("link-local-ip", null, "Add a link-local address for the container"),
    ], ArgRule.Exactly(2), ConnectAsync);

    public static readonly CommandSpec DisconnectSpec = new("disconnect", "[OPTIONS] NETWORK CONTAINER", "Disconnect a container from a network",
    [
        FlagSpec.Bool("force", 'f', "Force the container to disconnect from a network"),
    ], ArgRule.Exactly(2), DisconnectAsync);

    private static async Task<int> ConnectAsync(CliContext context, ParsedFlags flags)
    {
        var endpoint = new JsonObject();
        var ipam = new JsonObject();
        if (flags.String("ip") is { Length: > 0 } ip) ipam["IPv4Address"] = ip;
        if (flags.String("ip6") is { Length: > 0 } ip6) ipam["IPv6Address"] = ip6;
        if (ipam.Count > 0) endpoint["IPAMConfig"] = ipam;
        if (flags.List("alias").Count > 0) endpoint["Aliases"] = new JsonArray([.. flags.List("alias").Select(a => (JsonNode?)a)]);
        if (flags.List("link").Count > 0) endpoint["Links"] = new JsonArray([.. flags.List("link").Select(l => (JsonNode?)l)]);
        await context.Client.ConnectNetworkAsync(flags.Positionals[0], flags.Positionals[1], endpoint, context.Cancellation);
        return 0;
    }

    private static async Task<int> DisconnectAsync(CliContext context, ParsedFlags flags)
    {
        await context.Client.DisconnectNetworkAsync(flags.Positionals[0], flags.Positionals[1], flags.Bool("force"), context.Cancellation);
        return 0;
    }
}
