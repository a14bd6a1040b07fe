using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Cli.Formatting;
using Berth.Cli.Output;
using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Compose.Commands;

/// <summary><c>berth compose images</c>: the image each of the project's containers runs.</summary>
public static class ImagesCommand
{
    private const string DefaultTable = "table {{.ContainerName}}\t{{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.Size}}";

    public static readonly ComposeCommandSpec Spec = new("images", "[OPTIONS] [SERVICE...]", "List images used by the created containers",
    [
        FlagSpec.String("format", null, "Format the output. Values: [table | json]", "table"),
        FlagSpec.Bool("quiet", 'q', "Only display IDs"),
    ], ArgRule.Any, RunAsync);

    private static async Task<int> RunAsync(ComposeSession session, ParsedFlags flags)
    {
        var project = session.ExistingProject();
        ServiceSelection.Check(project, flags.Positionals);
        var context = session.Context;
        var containers = await session.Runner(project).ListContainersAsync(flags.Positionals, all: true, includeOneOff: false, context.Cancellation);
        var rows = new List<JsonObject>();
        foreach (var container in containers)
        {
            var imageId = container.Raw.Str("ImageID");
            var image = await context.Client.InspectImageAsync(imageId, context.Cancellation);
            var tag = image.Strings("RepoTags").FirstOrDefault() ?? "<none>:<none>";
            var colon = tag.LastIndexOf(':');
            rows.Add(new JsonObject
            {
                ["ContainerName"] = container.Name,
                ["Repository"] = colon > 0 ? tag[..colon] : tag,
                ["Tag"] = colon > 0 ? tag[(colon + 1)..] : "",
                ["ID"] = flags.String("format") == "json" ? imageId : IdFormat.Truncate(imageId),
                ["Size"] = flags.String("format") == "json"
                    ? image.Long("Size").ToString(CultureInfo.InvariantCulture)
                    : HumanUnits.HumanSize(image.Long("Size")),
            });
        }
        if (flags.Bool("quiet"))
        {
            foreach (var id in rows.Select(r => r["ID"]!.GetValue<string>()).Distinct(StringComparer.Ordinal))
                context.Out.Write(id + "\n");
            return 0;
        }
        if (flags.String("format") == "json")
        {
            context.Out.Write(new JsonArray([.. rows]).ToJsonString() + "\n");
            return 0;
        }
        var header = GoTemplateAdapter.MarkHeader(new JsonObject
        {
            ["ContainerName"] = "CONTAINER", ["Repository"] = "REPOSITORY", ["Tag"] = "TAG", ["ID"] = "IMAGE ID", ["Size"] = "SIZE",
        });
        context.Out.Write(new ListFormatter(null, DefaultTable, false).Render(header, rows));
        return 0;
    }
}
