using System.Text.Json.Nodes;
using Berth.Cli.Containers;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary>docker's service --network (NAME or name=NAME,alias=A,driver-opt=K=V): each looked up by name (scope swarm) and attached by ID.</summary>
public static class ServiceNetworks
{
    public static async Task<JsonArray> ResolveAsync(EngineClient client, IReadOnlyList<string> values, CancellationToken cancellation)
    {
        var attachments = new List<JsonObject>();
        foreach (var value in values)
        {
            var target = value;
            var aliases = new List<string>();
            var options = new Dictionary<string, string>(StringComparer.Ordinal);
            if (value.Contains('='))
            {
                target = "";
                foreach (var field in VolumeSpecs.SplitCsv(value))
                {
                    var eq = field.IndexOf('=');
                    var key = eq < 0 ? field : field[..eq];
                    var val = eq < 0 ? "" : field[(eq + 1)..];
                    switch (key.ToLowerInvariant())
                    {
                        case "name" or "target": target = val; break;
                        case "alias": aliases.Add(val); break;
                        case "driver-opt":
                            var inner = val.IndexOf('=');
                            options[inner < 0 ? val : val[..inner]] = inner < 0 ? "" : val[(inner + 1)..];
                            break;
                        default: throw new CliException($"invalid field key {key}");
                    }
                }
            }
            var network = Json.Parse(await client.GetBytesAsync($"/networks/{Uri.EscapeDataString(target)}",
                new Berth.Client.Http.QueryString().Add("scope", "swarm"), cancellation));
            var attachment = new JsonObject { ["Target"] = network.Str("Id") };
            if (aliases.Count > 0)
                attachment.SetList("Aliases", aliases);
            if (options.Count > 0)
                attachment["DriverOpts"] = SpecJson.Map(options);
            attachments.Add(attachment);
        }
        return new JsonArray([.. attachments.OrderBy(a => a.Str("Target"), StringComparer.Ordinal).Select(a => (JsonNode?)a)]);
    }
}
