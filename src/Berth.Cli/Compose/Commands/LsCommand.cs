using System.Text.Json.Nodes;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Client;
using Berth.Client.Http;
using Berth.Compose.Execution;

namespace Berth.Cli.Compose.Commands;

/// <summary>
/// <c>berth compose ls</c>: the projects the daemon has containers of, from their labels, with a status per project
/// (<c>running(2)</c>, <c>exited(1), running(1)</c>) and the files they came from.
/// </summary>
public static class LsCommand
{
    private const string DefaultTable = "table {{.Name}}\t{{.Status}}\t{{.ConfigFiles}}";

    public static readonly ComposeCommandSpec Spec = new("ls", "[OPTIONS]", "List running compose projects",
    [
        FlagSpec.Bool("all", 'a', "Show all stopped Compose projects"),
        FlagSpec.List("filter", null, "Filter output based on conditions provided"),
        FlagSpec.String("format", null, "Format the output. Values: [table | json]", "table"),
        FlagSpec.Bool("quiet", 'q', "Only display project names"),
    ], ArgRule.None, RunAsync);

    private static async Task<int> RunAsync(ComposeSession session, ParsedFlags flags)
    {
        var context = session.Context;
        var filters = new Filters().Add("label", ComposeLabels.Project);
        var containers = (await context.Client.ListContainersAsync(all: true, limit: 0, size: false, filters, context.Cancellation))
            .OfType<JsonObject>().Select(ProjectContainer.FromListEntry).ToList();
        var nameFilter = flags.List("filter").Select(f => f.Split('=', 2)).Where(p => p.Length == 2 && p[0] == "name").Select(p => p[1]).ToList();
        var rows = containers
            .GroupBy(c => c.Label(ComposeLabels.Project) ?? "", StringComparer.Ordinal)
            .Where(g => flags.Bool("all") || g.Any(c => c.State == "running"))
            .Where(g => nameFilter.Count == 0 || nameFilter.Any(n => g.Key.Contains(n, StringComparison.Ordinal)))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new JsonObject
            {
                ["Name"] = g.Key,
                ["Status"] = string.Join(", ", g.GroupBy(c => c.State).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}({s.Count()})")),
                ["ConfigFiles"] = g.Select(c => c.Label(ComposeLabels.ConfigFiles)).FirstOrDefault(f => f is not null) ?? "",
            }).ToList();
        if (flags.String("format") == "json")
        {
            context.Out.Write(new JsonArray([.. rows]).ToJsonString() + "\n");
            return 0;
        }
        var header = GoTemplateAdapter.MarkHeader(new JsonObject { ["Name"] = "NAME", ["Status"] = "STATUS", ["ConfigFiles"] = "CONFIG FILES" });
        var formatter = new ListFormatter(flags.String("format"), DefaultTable, flags.Bool("quiet"), "{{.Name}}");
        context.Out.Write(formatter.Render(header, rows));
        return 0;
    }
}
