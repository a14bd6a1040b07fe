using System.Text.Json.Nodes;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Compose.Execution;

namespace Berth.Cli.Compose.Commands;

/// <summary><c>berth compose ps</c>: the project's containers, with Compose's columns (NAME ... SERVICE ...).</summary>
public static class PsCommand
{
    private const string DefaultTable = "table {{.Name}}\t{{.Image}}\t{{.Command}}\t{{.Service}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}";

    public static readonly ComposeCommandSpec Spec = new("ps", "[OPTIONS] [SERVICE...]", "List containers",
    [
        FlagSpec.Bool("all", 'a', "Show all stopped containers (including those created by the run command)"),
        FlagSpec.List("filter", null, "Filter services by a property (supported filters: status)"),
        FlagSpec.String("format", null, "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template", "table"),
        FlagSpec.Bool("no-trunc", null, "Don't truncate output"),
        FlagSpec.Bool("quiet", 'q', "Only display IDs"),
        FlagSpec.Bool("services", null, "Display services"),
        FlagSpec.List("status", null, "Filter services by status. Values: [paused | restarting | removing | running | dead | created | exited]"),
    ], ArgRule.Any, RunAsync);

    private static async Task<int> RunAsync(ComposeSession session, ParsedFlags flags)
    {
        var project = session.ExistingProject();
        ServiceSelection.Check(project, flags.Positionals);
        var context = session.Context;
        var statuses = flags.List("status").Concat(flags.List("filter").Select(StatusFilter)).ToHashSet(StringComparer.Ordinal);
        var all = flags.Bool("all") || statuses.Count > 0;
        var containers = (await session.Runner(project).ListContainersAsync(flags.Positionals, all, includeOneOff: flags.Bool("all"), context.Cancellation))
            .Where(c => statuses.Count == 0 || statuses.Contains(c.State)).ToList();
        if (flags.Bool("services"))
        {
            foreach (var service in containers.Select(c => c.Service).Distinct(StringComparer.Ordinal))
                context.Out.Write(service + "\n");
            return 0;
        }
        var truncate = !flags.Bool("no-trunc");
        var now = DateTimeOffset.UtcNow;
        var formatter = new ListFormatter(flags.String("format"), DefaultTable, flags.Bool("quiet"));
        context.Out.Write(formatter.Render(Header(), containers.Select(c => Row(c, truncate, now))));
        return 0;
    }

    private static string StatusFilter(string filter)
    {
        var parts = filter.Split('=', 2);
        if (parts.Length != 2 || parts[0] != "status")
            throw new CliException($"invalid filter \"{filter}\": only status=VALUE is supported");
        return parts[1];
    }

    private static JsonObject Header()
    {
        var header = ContainerRows.Header();
        header["Name"] = "NAME";
        header["Project"] = "PROJECT";
        header["Service"] = "SERVICE";
        header["Health"] = "HEALTH";
        header["ExitCode"] = "EXIT CODE";
        return header;
    }

    private static JsonObject Row(ProjectContainer container, bool truncate, DateTimeOffset now)
    {
        var row = ContainerRows.Row(container.Raw, truncate, now);
        row["Name"] = container.Name;
        row["Project"] = container.Label("com.docker.compose.project") ?? "";
        row["Service"] = container.Service;
        row["Health"] = container.Health;
        row["ExitCode"] = container.ExitCode;
        return row;
    }
}
