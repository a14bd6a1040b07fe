using Berth.Cli.Commands;
using Berth.Cli.Formatting;
using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary><c>node ls</c>: nodes by natural hostname order, the current one (/info's Swarm.NodeID) marked "*".</summary>
public static class NodeLsCommand
{
    public static readonly CommandSpec Spec = new("ls", "[OPTIONS]", "List nodes in the swarm",
    [
        FilterFlag.Spec(),
        FlagSpec.String("format", null, "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template."),
        FlagSpec.Bool("quiet", 'q', "Only display IDs"),
    ], ArgRule.None, RunAsync, Aliases: ["list"]);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var nodes = await context.Client.ListNodesAsync(FilterFlag.From(flags), context.Cancellation);
        var info = await context.Client.InfoAsync(context.Cancellation);
        var swarm = info.Obj("Swarm");
        var self = swarm.Str("NodeID");
        var trustRoot = swarm.Obj("Cluster").Obj("TLSInfo").Str("TrustRoot");
        var formatter = new ListFormatter(flags.String("format"), NodeRows.DefaultTable, flags.Bool("quiet"));
        var rows = nodes.OrderBy(n => n.Description.Hostname, NaturalOrder.Instance).Select(n => NodeRows.Row(n, self, trustRoot));
        context.Out.Write(formatter.Render(NodeRows.Header(), rows));
        return 0;
    }
}
