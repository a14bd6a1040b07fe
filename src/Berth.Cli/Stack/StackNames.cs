using Berth.Client;
using Berth.Client.Http;

namespace Berth.Cli.Stack;

/// <summary>What the stack commands share: the namespace label filter and docker's manager check.</summary>
public static class StackNames
{
    public static Filters Filter(string stack) => new Filters().Add("label", $"{StackSpecs.NamespaceLabel}={stack}");

    /// <summary>docker checks the node before it deploys: a stack needs a swarm manager.</summary>
    public static async Task RequireManagerAsync(CliContext context)
    {
        var info = await context.Client.InfoAsync(context.Cancellation);
        if (info["Swarm"]?["ControlAvailable"]?.GetValue<bool>() != true)
            throw new CliException("this node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to connect this node to swarm and try again");
    }
}
