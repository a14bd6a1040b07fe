using System.Text.Json.Nodes;
using Berth.Cli.Commands;
using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary><c>node update</c>, <c>node promote</c> and <c>node demote</c>: edits of the NodeSpec sent at the read version.</summary>
public static class NodeUpdateCommand
{
    public static readonly CommandSpec Spec = new("update", "[OPTIONS] NODE", "Update a node",
    [
        FlagSpec.String("availability", null, "Availability of the node (\"active\", \"pause\", \"drain\")"),
        FlagSpec.List("label-add", null, "Add or update a node label (\"key=value\")"),
        FlagSpec.List("label-rm", null, "Remove a node label if exists"),
        FlagSpec.String("role", null, "Role of the node (\"worker\", \"manager\")"),
    ], ArgRule.Exactly(1), RunAsync);

    public static readonly CommandSpec PromoteSpec = new("promote", "NODE [NODE...]", "Promote one or more nodes to manager in the swarm", [],
        ArgRule.AtLeast(1), (c, f) => ChangeRoleAsync(c, f, "manager"));

    public static readonly CommandSpec DemoteSpec = new("demote", "NODE [NODE...]", "Demote one or more nodes from manager in the swarm", [],
        ArgRule.AtLeast(1), (c, f) => ChangeRoleAsync(c, f, "worker"));

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var name = flags.Positionals[0];
        await UpdateAsync(context, name, spec =>
        {
            if (flags.String("role") is { } role)
            {
                if (role is not ("worker" or "manager"))
                    throw new CliException($"invalid role {role}, only worker and manager are supported");
                spec["Role"] = role;
            }
            if (flags.String("availability") is { } availability)
            {
                if (availability is not ("active" or "pause" or "drain"))
                    throw new CliException($"invalid availability {availability}, only active, pause and drain are supported");
                spec["Availability"] = availability;
            }
            var labels = SpecJson.ToDictionary(spec["Labels"] as JsonObject);
            foreach (var (key, value) in KeyValueFlags.ToDictionary(flags.List("label-add")))
                labels[key] = value;
            foreach (var key in flags.List("label-rm"))
                labels.Remove(key);
            spec["Labels"] = SpecJson.Map(labels);
        });
        context.Out.Write(name + "\n");
        return 0;
    }

    private static async Task<int> ChangeRoleAsync(CliContext context, ParsedFlags flags, string role)
    {
        foreach (var name in flags.Positionals)
        {
            var node = await context.Client.InspectNodeAsync(name, context.Cancellation);
            if (node.Spec.Str("Role") == role)
            {
                context.Out.Write(role == "manager" ? $"Node {name} is already a manager.\n" : $"Node {name} is already a worker.\n");
                continue;
            }
            node.Spec["Role"] = role;
            await context.Client.UpdateNodeAsync(node.ID, node.Version.Index, node.Spec, context.Cancellation);
            context.Out.Write(role == "manager" ? $"Node {name} promoted to a manager in the swarm.\n" : $"Manager {name} demoted in the swarm.\n");
        }
        return 0;
    }

    private static async Task UpdateAsync(CliContext context, string name, Action<JsonObject> edit)
    {
        var node = await context.Client.InspectNodeAsync(name, context.Cancellation);
        edit(node.Spec);
        await context.Client.UpdateNodeAsync(node.ID, node.Version.Index, node.Spec, context.Cancellation);
    }
}
