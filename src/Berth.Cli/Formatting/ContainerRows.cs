using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Cli.Output;
using Berth.GoText;

namespace Berth.Cli.Formatting;

/// <summary>
/// The fields docker's ps templates see (ID, Image, Command, RunningFor, Status, Ports, Names, ...), computed from
/// a container summary, in alphabetical order so <c>{{json .}}</c> prints as docker's does.
/// </summary>
public static class ContainerRows
{
    public const string DefaultTable = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

    public static JsonObject Header() => GoTemplateAdapter.MarkHeader(new()
    {
        ["Command"] = "COMMAND",
        ["CreatedAt"] = "CREATED AT",
        ["ID"] = "CONTAINER ID",
        ["Image"] = "IMAGE",
        ["Labels"] = "LABELS",
        ["LocalVolumes"] = "LOCAL VOLUMES",
        ["Mounts"] = "MOUNTS",
        ["Names"] = "NAMES",
        ["Networks"] = "NETWORKS",
        ["Platform"] = "PLATFORM",
        ["Ports"] = "PORTS",
        ["RunningFor"] = "CREATED",
        ["Size"] = "SIZE",
        ["State"] = "STATE",
        ["Status"] = "STATUS",
    });

    public static JsonObject Row(JsonNode summary, bool truncate, DateTimeOffset now)
    {
        var created = DateTimeOffset.FromUnixTimeSeconds(summary.Long("Created"));
        var command = summary.Str("Command");
        var row = new JsonObject
        {
            ["Command"] = GoQuote.Quote(truncate ? IdFormat.Ellipsis(command, 20) : command),
            ["CreatedAt"] = GoTime.UnixString(created),
            ["ID"] = truncate ? IdFormat.Truncate(summary.Str("Id")) : summary.Str("Id"),
            ["Image"] = Image(summary, truncate),
            ["Labels"] = Labels(summary.Obj("Labels")),
            ["LocalVolumes"] = (summary.Arr("Mounts")?.Count(m => m.Str("Driver") == "local") ?? 0).ToString(CultureInfo.InvariantCulture),
            ["Mounts"] = Mounts(summary.Arr("Mounts"), truncate),
            ["Names"] = Names(summary.Strings("Names"), truncate),
            ["Networks"] = string.Join(',', summary.Obj("NetworkSettings").Obj("Networks")?.Select(n => n.Key).Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>()),
            ["Platform"] = null,
            ["Ports"] = DisplayablePorts(summary.Arr("Ports")),
            ["RunningFor"] = HumanDuration.Ago(created, now),
            ["Size"] = Size(summary),
            ["State"] = summary.Str("State"),
            ["Status"] = summary.Str("Status"),
        };
        GoTemplateAdapter.AttachLabels(row, summary.Obj("Labels"));
        return row;
    }

    private static string Image(JsonNode summary, bool truncate)
    {
        var image = summary.Str("Image");
        if (image.Length == 0)
            return "<no image>";
        if (!truncate)
            return image;
        if (IdFormat.Truncate(summary.Str("ImageID")) == IdFormat.Truncate(image))
            return IdFormat.Truncate(image);
        var at = image.IndexOf('@');
        return at >= 0 ? image[..at] : image;
    }

    public static string Labels(JsonObject? labels)
        => labels is null ? "" : string.Join(',', labels.Select(l => $"{l.Key}={(l.Value as JsonValue)?.ToString() ?? ""}").Order(StringComparer.Ordinal));

    private static string Mounts(JsonArray? mounts, bool truncate)
    {
        if (mounts is null)
            return "";
        return string.Join(',', mounts.Select(m =>
        {
            var name = m.Str("Name");
            if (name.Length == 0)
                name = m.Str("Source");
            return truncate ? IdFormat.Ellipsis(name, 15) : name;
        }));
    }

    private static string Names(List<string> names, bool truncate)
    {
        var stripped = names.Select(n => n.TrimStart('/')).ToList();
        if (truncate)
            return stripped.FirstOrDefault(n => !n.Contains('/')) ?? "";
        return string.Join(',', stripped);
    }

    private static string Size(JsonNode summary)
    {
        var rw = HumanUnits.HumanSize(summary.Long("SizeRw"));
        var rootFs = summary.Long("SizeRootFs");
        return rootFs > 0 ? $"{rw} (virtual {HumanUnits.HumanSize(rootFs)})" : rw;
    }

    /// <summary>docker ps's PORTS: consecutive ports grouped into ranges, published ones as "ip:host->container/proto".</summary>
    public static string DisplayablePorts(JsonArray? ports)
    {
        if (ports is null || ports.Count == 0)
            return "";
        var list = ports.Select(p => (Ip: p.Str("IP"), Private: (int)p.Long("PrivatePort"), Public: (int)p.Long("PublicPort"), Type: p.Str("Type")))
            .ToList();
        list.Sort((a, b) =>
        {
            if (a.Private != b.Private)
                return a.Private.CompareTo(b.Private);
            if (a.Ip != b.Ip)
                return CompareIp(a.Ip, b.Ip);
            if (a.Public != b.Public)
                return a.Public.CompareTo(b.Public);
            return string.CompareOrdinal(a.Type, b.Type);
        });
        var groups = new Dictionary<string, (int First, int Last)>();
        var order = new List<string>();
        var result = new List<string>();
        var hostMappings = new List<string>();
        foreach (var port in list)
        {
            var key = port.Type;
            if (port.Ip.Length > 0)
            {
                if (port.Public != port.Private)
                {
                    hostMappings.Add($"{JoinHostPort(port.Ip, port.Public.ToString(CultureInfo.InvariantCulture))}->{port.Private}/{port.Type}");
                    continue;
                }
                key = port.Ip + "/" + port.Type;
            }
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = (port.Private, port.Private);
                order.Add(key);
                continue;
            }
            if (port.Private == group.Last + 1)
            {
                groups[key] = (group.First, port.Private);
                continue;
            }
            result.Add(FormGroup(key, group.First, group.Last));
            groups[key] = (port.Private, port.Private);
        }
        foreach (var key in order)
            result.Add(FormGroup(key, groups[key].First, groups[key].Last));
        result.AddRange(hostMappings);
        return string.Join(", ", result);
    }

    private static string FormGroup(string key, int first, int last)
    {
        var slash = key.LastIndexOf('/');
        var ip = slash >= 0 ? key[..slash] : "";
        var type = slash >= 0 ? key[(slash + 1)..] : key;
        var group = first == last ? first.ToString(CultureInfo.InvariantCulture) : $"{first}-{last}";
        if (ip.Length > 0)
            group = $"{JoinHostPort(ip, group)}->{group}";
        return group + "/" + type;
    }

    private static string JoinHostPort(string host, string port) => host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";

    private static int CompareIp(string a, string b)
    {
        if (IPAddress.TryParse(a, out var x) && IPAddress.TryParse(b, out var y))
        {
            var bx = x.GetAddressBytes();
            var by = y.GetAddressBytes();
            if (bx.Length != by.Length)
                return bx.Length.CompareTo(by.Length);
            for (var i = 0; i < bx.Length; i++)
            {
                if (bx[i] != by[i])
                    return bx[i].CompareTo(by[i]);
            }
            return 0;
        }
        return string.CompareOrdinal(a, b);
    }
}
