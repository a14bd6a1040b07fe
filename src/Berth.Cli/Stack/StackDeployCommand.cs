using System.Text.Json.Nodes;
using Berth.Cli.Parsing;
using Berth.Cli.Swarm;
using Berth.Client;
using Berth.Client.Http;
using Berth.Compose;
using Berth.Compose.Loading;
using Berth.Compose.Model;

namespace Berth.Cli.Stack;

/// <summary>
/// <c>stack deploy</c>: loads the compose files with compose's loader, creates the stack's missing networks, then
/// creates or updates each service (and with --prune removes the stack's services the files no longer name).
/// </summary>
public static class StackDeployCommand
{
    public static readonly CommandSpec Spec = new("deploy", "[OPTIONS] STACK", "Deploy a new stack or update an existing stack",
    [
        FlagSpec.List("compose-file", 'c', "Path to a Compose file, or \"-\" to read from stdin"),
        FlagSpec.Bool("detach", 'd', "Exit immediately instead of waiting for the stack services to converge"),
        FlagSpec.Bool("prune", null, "Prune services that are no longer referenced"),
        FlagSpec.Bool("quiet", 'q', "Suppress progress output"),
        FlagSpec.String("resolve-image", null, "Query the registry to resolve image digest and supported platforms (\"always\", \"changed\", \"never\")", "always"),
        FlagSpec.Bool("with-registry-auth", null, "Send registry authentication details to Swarm agents"),
    ], ArgRule.Exactly(1), RunAsync, Aliases: ["up"]);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        string stack = flags.Positionals[0];
        var files = flags.List("compose-file");
        if (files.Count == 0) throw new CliException("Specify a Compose file (with --compose-file)");
        string resolve = flags.StringOr("resolve-image", "always");
        if (resolve is not ("always" or "changed" or "never"))
            throw new CliException("Invalid option " + resolve + " for flag --resolve-image");
        var project = ProjectLoader.Load(new ProjectOptions
        {
            ConfigFiles = files,
            StdinText = files.Contains("-") ? new StreamReader(context.Stdin).ReadToEnd() : null,
            ProjectName = stack,
            Environment = context.Environment,
            CurrentDirectory = Directory.GetCurrentDirectory(),
        });
        if (!flags.Has("detach"))
            context.Err.Write("Since --detach=false was not specified, tasks will be created in the background.\nIn a future release, --detach=false will become the default.\n");
        await StackNames.RequireManagerAsync(context);
        var existing = await context.Client.ListServicesAsync(StackNames.Filter(stack), false, context.Cancellation);
        if (flags.Bool("prune")) await PruneAsync(context, project, stack, existing);
        var ids = new StackObjectIds(
            await EnsureFileObjectsAsync(context, stack, "secrets", project.Secrets),
            await EnsureFileObjectsAsync(context, stack, "configs", project.Configs));
        await EnsureNetworksAsync(context, project, stack);
        foreach (var service in project.Services.Values)
        {
            var spec = StackSpecs.ServiceSpec(stack, project, service, ids);
            string name = spec["Name"]!.GetValue<string>();
            var current = existing.FirstOrDefault(s => s.Spec["Name"]?.GetValue<string>() == name);
            if (resolve != "never" && (resolve == "always" || current is null)
                && await ImageDigests.ResolveAsync(context.Client, spec, context.Cancellation) is { } warning)
                context.Err.Write(warning + "\n");
            if (current is null)
            {
                context.Out.Write($"Creating service {name}\n");
                var created = await context.Client.CreateServiceAsync(spec, context.Cancellation);
                foreach (var line in created.Warnings ?? []) context.Err.Write(line + "\n");
            }
            else
            {
                context.Out.Write($"Updating service {name} (id: {current.ID})\n");
                var updated = await context.Client.UpdateServiceAsync(current.ID, current.Version.Index, spec, null, false, context.Cancellation);
                foreach (var line in updated.Warnings ?? []) context.Err.Write(line + "\n");
            }
        }
        return 0;
    }

    /// <summary>
    /// Creates the stack's own secrets or configs (<paramref name="kind"/>), or updates one that exists (swarm lets only
    /// its labels change, so changed data is refused); returns every one's ID by name, for the services' references.
    /// </summary>
    private static async Task<Dictionary<string, string>> EnsureFileObjectsAsync(CliContext context, string stack, string kind,
        IReadOnlyDictionary<string, FileObjectConfig> declared)
    {
        if (declared.Count == 0) return [];
        var environment = context.Environment;
        foreach (var config in declared.Values.Where(c => !c.External).OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var spec = StackFileObjects.Spec(stack, config, environment);
            Berth.Api.SwarmSecret? current = null;
            try
            {
                current = await context.Client.InspectSecretAsync(kind, config.Name, context.Cancellation);
            }
            catch (EngineApiException e) when (e.IsNotFound)
            {
            }
            string singular = kind[..^1];
            if (current is null)
            {
                context.Out.Write($"Creating {singular} {config.Name}\n");
                await context.Client.CreateSecretAsync(kind, spec, context.Cancellation);
                continue;
            }
            try
            {
                await context.Client.UpdateSecretAsync(kind, current.ID, current.Version.Index, spec, context.Cancellation);
            }
            catch (EngineApiException e)
            {
                throw new CliException($"failed to update {singular} {config.Name}: Error response from daemon: {e.Message}");
            }
        }
        var all = await context.Client.ListSecretsAsync(kind, null, context.Cancellation);
        return all.GroupBy(s => s.Spec["Name"]?.GetValue<string>() ?? "").ToDictionary(g => g.Key, g => g.First().ID, StringComparer.Ordinal);
    }

    /// <summary>External networks must exist; the stack's own are created when missing.</summary>
    private static async Task EnsureNetworksAsync(CliContext context, ComposeProject project, string stack)
    {
        var ours = await context.Client.ListNetworksAsync(StackNames.Filter(stack), context.Cancellation);
        var names = ours.OfType<JsonObject>().Select(n => n["Name"]?.GetValue<string>()).ToHashSet();
        foreach (string key in StackSpecs.NetworkKeys(project))
        {
            var network = project.Networks.GetValueOrDefault(key)
                ?? throw new CliException($"service network \"{key}\" is not declared in the compose file");
            if (network.External)
            {
                var found = await context.Client.ListNetworksAsync(new Filters().Add("name", network.Name), context.Cancellation);
                if (!found.OfType<JsonObject>().Any(n => n["Name"]?.GetValue<string>() == network.Name))
                    throw new CliException($"network \"{network.Name}\" is declared as external, but could not be found. You need to create a swarm-scoped network before the stack is deployed");
                continue;
            }
            if (names.Contains(network.Name)) continue;
            context.Out.Write($"Creating network {network.Name}\n");
            await context.Client.CreateNetworkAsync(StackSpecs.NetworkBody(stack, network), context.Cancellation);
        }
    }

    private static async Task PruneAsync(CliContext context, ComposeProject project, string stack, List<Berth.Api.SwarmService> existing)
    {
        var wanted = project.Services.Keys.Select(k => $"{stack}_{k}").ToHashSet();
        foreach (var service in existing.Where(s => !wanted.Contains(s.Spec["Name"]?.GetValue<string>() ?? "")))
        {
            context.Out.Write($"Removing service {service.Spec["Name"]?.GetValue<string>()}\n");
            await context.Client.RemoveServiceAsync(service.ID, context.Cancellation);
        }
    }
}
