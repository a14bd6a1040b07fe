using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Client;
using Berth.Cli.Formatting;
using Berth.Cli.Output;
using Berth.Cli.Parsing;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>system df</c>: docker's summary of what images, containers, local volumes and build cache take on disk (one row
/// each, with how much is active and reclaimable), or with -v the per-object tables.
/// </summary>
public static class SystemDfCommand
{
    private const string SummaryTable = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}";
    private const string ImageTable = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}";
    private const string ContainerTable = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}";
    private const string VolumeTable = "table {{.Name}}\t{{.Links}}\t{{.Size}}";
    private const string BuildCacheTable = "table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}";

    public static readonly CommandSpec Spec = new("df", "[OPTIONS]", "Show docker disk usage",
    [
        FlagSpec.String("format", null, "Format output using a custom template"),
        FlagSpec.Bool("verbose", 'v', "Show detailed information on space usage"),
    ], ArgRule.None, RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var usage = await context.Client.DiskUsageAsync(context.Cancellation);
        string? format = flags.String("format");
        if (flags.Bool("verbose"))
        {
            if (format is { Length: > 0 } and not "table")
                throw new CliException("berth system df: --format with --verbose is not supported; use one of them");
            context.Out.Write(Verbose(usage, DateTimeOffset.UtcNow));
            return 0;
        }
        var formatter = new ListFormatter(format, SummaryTable, quiet: false);
        context.Out.Write(formatter.Render(GoTemplateAdapter.MarkHeader(new JsonObject
        {
            ["Active"] = "ACTIVE",
            ["Reclaimable"] = "RECLAIMABLE",
            ["Size"] = "SIZE",
            ["TotalCount"] = "TOTAL",
            ["Type"] = "TYPE",
        }), Summary(usage)));
        return 0;
    }

    /// <summary>The four summary rows, counted as the docker CLI counts them from the same reply.</summary>
    private static IEnumerable<JsonObject> Summary(JsonObject usage)
    {
        var images = Items(usage, "Images");
        long layers = usage.Long("LayersSize");
        // What active images hold beyond the layers they share is in use; the rest of the layers could go.
        long used = images.Where(i => i.Long("Containers") > 0 && i.Long("SharedSize") != -1).Sum(i => i.Long("Size") - i.Long("SharedSize"));
        yield return SummaryRow("Images", images.Count, images.Count(i => i.Long("Containers") > 0), layers, layers - used, percent: true);

        var containers = Items(usage, "Containers");
        var active = containers.Where(c => c.Str("State") is "running" or "paused" or "restarting").ToList();
        long containersSize = containers.Sum(c => c.Long("SizeRw"));
        yield return SummaryRow("Containers", containers.Count, active.Count, containersSize, containersSize - active.Sum(c => c.Long("SizeRw")), percent: true);

        var volumes = Items(usage, "Volumes");
        long VolumeSize(JsonNode v) => v.Obj("UsageData") is { } data && data.Long("Size") != -1 ? data.Long("Size") : 0;
        long RefCount(JsonNode v) => v.Obj("UsageData")?.Long("RefCount") ?? 0;
        yield return SummaryRow("Local Volumes", volumes.Count, volumes.Count(v => RefCount(v) > 0), volumes.Sum(VolumeSize),
            volumes.Where(v => RefCount(v) == 0).Sum(VolumeSize), percent: true);

        var cache = Items(usage, "BuildCache");
        long cacheSize = cache.Where(b => !b.Bool("Shared")).Sum(b => b.Long("Size"));
        yield return SummaryRow("Build Cache", cache.Count, cache.Count(b => b.Bool("InUse")), cacheSize,
            cache.Where(b => !b.Bool("InUse") && !b.Bool("Shared")).Sum(b => b.Long("Size")), percent: false);
    }

    private static JsonObject SummaryRow(string type, int total, int active, long size, long reclaimable, bool percent) => new()
    {
        ["Active"] = active.ToString(CultureInfo.InvariantCulture),
        ["Reclaimable"] = percent && size > 0
            ? $"{HumanUnits.HumanSize(reclaimable, 4)} ({(reclaimable * 100 / size).ToString(CultureInfo.InvariantCulture)}%)"
            : HumanUnits.HumanSize(reclaimable, 4),
        ["Size"] = HumanUnits.HumanSize(size, 4),
        ["TotalCount"] = total.ToString(CultureInfo.InvariantCulture),
        ["Type"] = type,
    };

    private static string Verbose(JsonObject usage, DateTimeOffset now)
    {
        var text = new StringBuilder();
        text.Append("Images space usage:\n\n");
        text.Append(new ListFormatter(ImageTable, ImageTable, quiet: false).Render(GoTemplateAdapter.MarkHeader(ImageRows.Header()),
            Items(usage, "Images").Select(i => ImageRow(i, now))));
        text.Append("\nContainers space usage:\n\n");
        text.Append(new ListFormatter(ContainerTable, ContainerTable, quiet: false).Render(ContainerRows.Header(),
            Items(usage, "Containers").Select(c => ContainerRow(c, now))));
        text.Append("\nLocal Volumes space usage:\n\n");
        text.Append(new ListFormatter(VolumeTable, VolumeTable, quiet: false).Render(GoTemplateAdapter.MarkHeader(new JsonObject
        {
            ["Links"] = "LINKS",
            ["Name"] = "VOLUME NAME",
            ["Size"] = "SIZE",
        }), Items(usage, "Volumes").Select(VolumeRow)));
        var cache = Items(usage, "BuildCache");
        text.Append("\nBuild cache usage: ").Append(HumanUnits.HumanSize(cache.Where(b => !b.Bool("Shared")).Sum(b => b.Long("Size")), 4)).Append("\n\n");
        // berthd's classic builder keeps no cache records, so this table only ever has its header.
        text.Append(new ListFormatter(BuildCacheTable, BuildCacheTable, quiet: false).Render(GoTemplateAdapter.MarkHeader(new JsonObject
        {
            ["CacheType"] = "CACHE TYPE",
            ["CreatedSince"] = "CREATED",
            ["ID"] = "CACHE ID",
            ["LastUsedSince"] = "LAST USED",
            ["Shared"] = "SHARED",
            ["Size"] = "SIZE",
            ["UsageCount"] = "USAGE",
        }), []));
        return text.ToString();
    }

    /// <summary>docker shows each image once, under its first tag; sizes as `docker images` but shared ones to four digits.</summary>
    private static JsonObject ImageRow(JsonNode image, DateTimeOffset now)
    {
        string repository = "<none>", tag = "<none>";
        if (image.Strings("RepoTags").FirstOrDefault(t => t != "<none>:<none>") is { } first
            && first.LastIndexOf(':') is var colon and > 0 && colon > first.LastIndexOf('/'))
        {
            repository = ImageRows.Familiar(first[..colon]);
            tag = first[(colon + 1)..];
        }
        var created = DateTimeOffset.FromUnixTimeSeconds(image.Long("Created"));
        long containers = image.Long("Containers"), shared = image.Long("SharedSize"), size = image.Long("Size");
        return new JsonObject
        {
            ["Containers"] = containers == -1 ? "N/A" : containers.ToString(CultureInfo.InvariantCulture),
            ["CreatedSince"] = HumanDuration.Ago(created, now),
            ["ID"] = IdFormat.Truncate(image.Str("Id")),
            ["Repository"] = repository,
            ["SharedSize"] = shared == -1 ? "N/A" : HumanUnits.HumanSize(shared, 4),
            ["Size"] = HumanUnits.HumanSize(size),
            ["Tag"] = tag,
            ["UniqueSize"] = shared == -1 ? "N/A" : HumanUnits.HumanSize(size - shared, 4),
        };
    }

    /// <summary>As `docker ps`, but the size without the image's ("virtual") part.</summary>
    private static JsonObject ContainerRow(JsonNode container, DateTimeOffset now)
    {
        var row = ContainerRows.Row(container, truncate: true, now);
        row["Size"] = HumanUnits.HumanSize(container.Long("SizeRw"));
        return row;
    }

    private static JsonObject VolumeRow(JsonNode volume)
    {
        var data = volume.Obj("UsageData");
        return new JsonObject
        {
            ["Links"] = data is null ? "N/A" : data.Long("RefCount").ToString(CultureInfo.InvariantCulture),
            ["Name"] = volume.Str("Name"),
            ["Size"] = data is null ? "N/A" : HumanUnits.HumanSize(data.Long("Size"), 4),
        };
    }

    private static List<JsonNode> Items(JsonObject usage, string key) => usage.Arr(key)?.OfType<JsonNode>().ToList() ?? [];
}
