using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Cli.Output;

namespace Berth.Cli.Formatting;

/// <summary>The fields of docker's search templates, one row per repository found.</summary>
public static class SearchRows
{
    public const string DefaultTable = "table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}";

    /// <summary>Descriptions are cut to this many characters unless --no-trunc.</summary>
    public const int DescriptionWidth = 45;

    public static JsonObject Header() => new()
    {
        ["Description"] = "DESCRIPTION",
        ["IsAutomated"] = "AUTOMATED",
        ["IsOfficial"] = "OFFICIAL",
        ["Name"] = "NAME",
        ["StarCount"] = "STARS",
    };

    /// <summary>
    /// One result as templates see it. Docker shows flags as "[OK]" or nothing, but as "true"/"false" when the row is
    /// printed as JSON (<paramref name="forJson"/>), where it also leaves out IsAutomated, which docker 28 no longer knows.
    /// </summary>
    public static JsonObject Row(JsonNode result, bool truncate, bool forJson)
    {
        var description = result.Str("description").Replace('\n', ' ').Replace('\r', ' ');
        var row = new JsonObject
        {
            ["Description"] = truncate ? IdFormat.Ellipsis(description, DescriptionWidth) : description,
        };
        if (!forJson)
            row["IsAutomated"] = Flag(result.Bool("is_automated"), forJson);
        row["IsOfficial"] = Flag(result.Bool("is_official"), forJson);
        row["Name"] = result.Str("name");
        row["StarCount"] = result.Long("star_count").ToString(CultureInfo.InvariantCulture);
        return row;
    }

    private static string Flag(bool value, bool forJson) => forJson ? (value ? "true" : "false") : value ? "[OK]" : "";
}
