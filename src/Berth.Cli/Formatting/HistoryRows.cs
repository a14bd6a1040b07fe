using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Cli.Output;

namespace Berth.Cli.Formatting;

/// <summary>The fields of docker's history templates.</summary>
public static class HistoryRows
{
    public const string DefaultTable = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";

    /// <summary>With -H=false docker shows the creation time itself, under "CREATED AT".</summary>
    public const string NonHumanTable = "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";

    public static JsonObject Header() => new()
    {
        ["Comment"] = "COMMENT",
        ["CreatedAt"] = "CREATED AT",
        ["CreatedBy"] = "CREATED BY",
        ["CreatedSince"] = "CREATED",
        ["ID"] = "IMAGE",
        ["Size"] = "SIZE",
    };

    public static JsonObject Row(JsonNode entry, bool truncate, bool human, DateTimeOffset now)
    {
        var id = entry.Str("Id");
        var created = DateTimeOffset.FromUnixTimeSeconds(entry.Long("Created"));
        var createdAt = created.ToLocalTime().ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture).Replace("+00:00", "Z", StringComparison.Ordinal);
        var createdBy = entry.Str("CreatedBy").Replace('\t', ' ');
        var size = entry.Long("Size");
        return new JsonObject
        {
            ["Comment"] = entry.Str("Comment"),
            ["CreatedAt"] = createdAt,
            ["CreatedBy"] = truncate ? IdFormat.Ellipsis(createdBy, 45) : createdBy,
            ["CreatedSince"] = human ? HumanDuration.Ago(created, now) : createdAt,
            ["ID"] = id is "" or "<missing>" ? "<missing>" : truncate ? IdFormat.Truncate(id) : id,
            ["Size"] = human ? HumanUnits.HumanSize(size) : size.ToString(CultureInfo.InvariantCulture),
        };
    }
}
