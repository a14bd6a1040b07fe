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
        var config = ConsolidateIpam(flags.List("subnet"), flags.List("ip-range"), flags.List("gateway"), flags.List("aux-address"));
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

    /// <summary>
    /// The docker CLI's IPAM configs: one per subnet, each range, gateway and aux-address given to the subnet that
    /// contains it (so <c>--subnet 172.28.0.0/16 --subnet fd12::/64 --gateway fd12::1</c> pairs by family, not position).
    /// </summary>
    internal static JsonArray ConsolidateIpam(IReadOnlyList<string> subnets, IReadOnlyList<string> ranges, IReadOnlyList<string> gateways,
        IReadOnlyList<string> auxAddresses)
    {
        if (gateways.Count > subnets.Count || ranges.Count > subnets.Count)
            throw new CliException("every ip-range or gateway must have a corresponding subnet");
        var parsed = new List<(string Text, System.Net.IPNetwork Network, JsonObject Pool)>();
        foreach (var subnet in subnets)
        {
            var network = ParseCidr(subnet, "invalid subnet: ");
            if (parsed.Any(p => p.Network.Contains(network.BaseAddress) || network.Contains(p.Network.BaseAddress)))
                throw new CliException("multiple overlapping subnet configuration is not supported");
            parsed.Add((subnet, network, new JsonObject { ["Subnet"] = subnet }));
        }
        void Assign(string value, string key, string what, string multiple)
        {
            bool matched = false;
            var address = value.Contains('/') ? ParseCidr(value, "").BaseAddress : ParseIp(value);
            foreach (var (text, network, pool) in parsed)
            {
                if (address is null || !network.Contains(address)) continue;
                if (pool[key] is { } existing) throw new CliException(string.Format(System.Globalization.CultureInfo.InvariantCulture, multiple, value, existing, text));
                pool[key] = value;
                matched = true;
            }
            if (!matched) throw new CliException($"no matching subnet for {what} {value}");
        }
        foreach (var range in ranges) Assign(range, "IPRange", "range", "cannot configure multiple ranges ({0}, {1}) on the same subnet ({2})");
        foreach (var gateway in gateways) Assign(gateway, "Gateway", "gateway", "cannot configure multiple gateways ({0}, {1}) for the same subnet ({2})");
        foreach (var (key, text) in KeyValueFlags.ToDictionary(auxAddresses))
        {
            bool matched = false;
            var address = ParseIp(text);
            foreach (var (_, network, pool) in parsed)
            {
                if (address is null || !network.Contains(address)) continue;
                var aux = pool["AuxiliaryAddresses"] as JsonObject ?? (JsonObject)(pool["AuxiliaryAddresses"] = new JsonObject());
                aux[key] = text;
                matched = true;
            }
            if (!matched) throw new CliException($"no matching subnet for aux-address {text}");
        }
        var config = new JsonArray();
        foreach (var (_, _, pool) in parsed) config.Add((JsonNode)pool);
        return config;
    }

    /// <summary>Go's net.ParseCIDR: the network (host bits cleared) of "addr/len".</summary>
    private static System.Net.IPNetwork ParseCidr(string text, string prefix)
    {
        int slash = text.IndexOf('/');
        if (slash > 0 && ParseIp(text[..slash]) is { } address
            && int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int length)
            && length <= (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128))
        {
            var bytes = address.GetAddressBytes();
            for (int bit = length; bit < bytes.Length * 8; bit++) bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
            return new System.Net.IPNetwork(new System.Net.IPAddress(bytes), length);
        }
        throw new CliException($"{prefix}invalid CIDR address: {text}");
    }

    /// <summary>Go's net.ParseIP: a dotted quad or an IPv6 address, nothing looser.</summary>
    private static System.Net.IPAddress? ParseIp(string text) =>
        System.Net.IPAddress.TryParse(text, out var address) && (text.Contains(':') || text.Count(c => c == '.') == 3) ? address : null;
}
