using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Cli.Containers;
using Berth.Client;
using Berth.Client.Http;

namespace Berth.Cli.Swarm;

/// <summary>
/// docker's <c>--secret</c> and <c>--config</c> values (<c>NAME</c> or <c>source=NAME,target=PATH,uid=,gid=,mode=</c>),
/// resolved to IDs by one list call filtered on the names, as docker's CLI does.
/// </summary>
public static class FileReferences
{
    /// <summary>A parsed reference before its ID is known.</summary>
    public sealed record Reference(string Source, string Target, string Uid, string Gid, uint Mode);

    public static Reference Parse(string value, string kind)
    {
        if (!value.Contains('='))
            return new Reference(value, value, "0", "0", 292);
        string source = "", target = "", uid = "0", gid = "0";
        uint mode = 292;
        foreach (var field in VolumeSpecs.SplitCsv(value))
        {
            var eq = field.IndexOf('=');
            if (eq <= 0)
                throw new InvalidOptionException($"invalid field '{field}' must be a key=value pair");
            var val = field[(eq + 1)..];
            switch (field[..eq].ToLowerInvariant())
            {
                case "source" or "src": source = val; break;
                case "target": target = val; break;
                case "uid": uid = val; break;
                case "gid": gid = val; break;
                case "mode":
                    if (!TryParseMode(val, out mode))
                        throw new InvalidOptionException($"invalid mode specified: strconv.ParseUint: parsing \"{val}\": invalid syntax");
                    break;
                default: throw new InvalidOptionException($"invalid field in {kind} request: {field[..eq]}");
            }
        }
        if (source.Length == 0)
            throw new InvalidOptionException("source is required");
        return new Reference(source, target.Length == 0 ? source : target, uid, gid, mode);
    }

    public static string? Validate(string value, string kind)
    {
        try
        {
            Parse(value, kind);
            return null;
        }
        catch (InvalidOptionException e)
        {
            return e.Message;
        }
    }

    /// <summary>Go's ParseUint with base 0: 0o/0 octal, 0x hex, decimal.</summary>
    private static bool TryParseMode(string text, out uint mode)
    {
        mode = 0;
        try
        {
            if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                mode = Convert.ToUInt32(text[2..], 16);
            else if (text.StartsWith("0o", StringComparison.OrdinalIgnoreCase))
                mode = Convert.ToUInt32(text[2..], 8);
            else if (text.Length > 1 && text[0] == '0')
                mode = Convert.ToUInt32(text[1..], 8);
            else
                return uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out mode);
            return true;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// The SecretReference/ConfigReference objects (File, SecretID, SecretName), with IDs looked up by name;
    /// <paramref name="kind"/> is "secret" or "config".
    /// </summary>
    public static async Task<JsonArray> ResolveAsync(EngineClient client, string kind, IReadOnlyList<Reference> references, CancellationToken cancellation)
    {
        var result = new JsonArray();
        if (references.Count == 0)
            return result;
        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            if (!targets.Add(reference.Target))
                throw new CliException($"duplicate {kind} target for {reference.Source} not allowed");
        }
        var filters = new Filters();
        foreach (var reference in references)
            filters.Add("name", reference.Source);
        var found = await client.ListSecretsAsync(kind + "s", filters, cancellation);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in found)
            ids[item.Spec.Str("Name")] = item.ID;
        var prefix = kind == "secret" ? "Secret" : "Config";
        foreach (var reference in references)
        {
            if (!ids.TryGetValue(reference.Source, out var id))
                throw new CliException($"{kind} not found: {reference.Source}");
            result.Add((JsonNode)new JsonObject
            {
                ["File"] = new JsonObject { ["Name"] = reference.Target, ["UID"] = reference.Uid, ["GID"] = reference.Gid, ["Mode"] = reference.Mode },
                [prefix + "ID"] = id,
                [prefix + "Name"] = reference.Source,
            });
        }
        return result;
    }
}
