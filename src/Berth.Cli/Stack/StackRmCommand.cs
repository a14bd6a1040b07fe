using System.Text.Json.Nodes;
using Berth.Cli.Parsing;

namespace Berth.Cli.Stack;

/// <summary>
/// <c>stack rm</c>: per stack, its services, then its networks (and its secrets and configs), each by name; a stack
/// with nothing in it is only a note on stderr.
/// </summary>
public static class StackRmCommand
{
    public static readonly CommandSpec Spec = new("rm", "[OPTIONS] STACK [STACK...]", "Remove one or more stacks",
    [
        FlagSpec.Bool("detach", 'd', "Do not wait for stack removal"),
    ], ArgRule.AtLeast(1), RunAsync, Aliases: ["remove", "down"]);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var failed = false;
        foreach (string stack in flags.Positionals)
        {
            var filter = StackNames.Filter(stack);
            var services = await context.Client.ListServicesAsync(filter, false, context.Cancellation);
            var networks = (await context.Client.ListNetworksAsync(filter, context.Cancellation)).OfType<JsonObject>().ToList();
            var secrets = await context.Client.ListSecretsAsync("secrets", filter, context.Cancellation);
            var configs = await context.Client.ListSecretsAsync("configs", filter, context.Cancellation);
            if (services.Count + networks.Count + secrets.Count + configs.Count == 0)
            {
                context.Err.Write($"Nothing found in stack: {stack}\n");
                continue;
            }
            foreach (var service in services.OrderBy(s => s.Spec["Name"]?.GetValue<string>(), StringComparer.Ordinal))
                failed |= !await TryAsync(context, "service", service.Spec["Name"]?.GetValue<string>() ?? service.ID,
                    () => context.Client.RemoveServiceAsync(service.ID, context.Cancellation));
            foreach (var network in networks.OrderBy(n => n["Name"]?.GetValue<string>(), StringComparer.Ordinal))
                failed |= !await TryAsync(context, "network", network["Name"]?.GetValue<string>() ?? "",
                    () => context.Client.RemoveNetworkAsync(network["Id"]?.GetValue<string>() ?? "", context.Cancellation));
            foreach (var (kind, items) in new[] { ("secret", secrets), ("config", configs) })
                foreach (var item in items)
                    failed |= !await TryAsync(context, kind, item.Spec["Name"]?.GetValue<string>() ?? item.ID,
                        () => context.Client.RemoveSecretAsync(kind + "s", item.ID, context.Cancellation));
        }
        if (failed) throw new CliException("Failed to remove some resources from stack: " + string.Join(", ", flags.Positionals));
        return 0;
    }

    private static async Task<bool> TryAsync(CliContext context, string kind, string name, Func<Task> remove)
    {
        context.Out.Write($"Removing {kind} {name}\n");
        try
        {
            await remove();
            return true;
        }
        catch (Berth.Client.EngineApiException exception)
        {
            context.Err.Write($"Failed to remove {kind} {name}: {exception.Message}\n");
            return false;
        }
    }
}
