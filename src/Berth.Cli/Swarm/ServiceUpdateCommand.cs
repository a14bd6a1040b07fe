using System.Text.Json.Nodes;
using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Swarm;

/// <summary><c>service update</c>: reads the spec (insertDefaults=false), applies the flags, sends it at the read version; waits unless -d.</summary>
public static class ServiceUpdateCommand
{
    public static readonly CommandSpec Spec = new("update", "[OPTIONS] SERVICE", "Update a service",
        ServiceFlags.Update, ArgRule.Exactly(1), RunAsync);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var name = flags.Positionals[0];
        var service = await context.Client.InspectServiceAsync(name, context.Cancellation);
        var rollback = flags.Bool("rollback");
        var spec = service.Spec;
        var warnings = new List<string>();
        if (!rollback)
        {
            ServiceSpecUpdater.Apply(spec, flags, context.Environment);
            var container = spec.Child("TaskTemplate").Child("ContainerSpec");
            await UpdateReferencesAsync(context, container, "secret", flags);
            await UpdateReferencesAsync(context, container, "config", flags);
            await UpdateNetworksAsync(context, spec.Child("TaskTemplate"), flags);
            GoOrder.Service(spec);
            if (flags.Has("image") && !flags.Bool("no-resolve-image") && await ImageDigests.ResolveAsync(context.Client, spec, context.Cancellation) is { } warning)
                warnings.Add(warning);
        }
        var response = await context.Client.UpdateServiceAsync(service.ID, service.Version.Index, spec,
            rollback ? null : flags.Bool("with-registry-auth") ? null : "spec", rollback, context.Cancellation);
        foreach (var line in (response.Warnings ?? []).Concat(warnings))
            context.Err.Write(line + "\n");
        context.Out.Write(name + "\n");
        if (flags.Bool("detach"))
            return 0;
        return await ServiceWait.RunAsync(context, name, flags.Bool("quiet"));
    }

    /// <summary>--secret-rm by name or target, --secret-add resolved by name (and the same for configs).</summary>
    private static async Task UpdateReferencesAsync(CliContext context, JsonObject container, string kind, ParsedFlags flags)
    {
        var add = flags.List($"{kind}-add");
        var remove = flags.List($"{kind}-rm");
        if (add.Count == 0 && remove.Count == 0)
            return;
        var member = kind == "secret" ? "Secrets" : "Configs";
        var nameKey = kind == "secret" ? "SecretName" : "ConfigName";
        var parsed = add.Select(a => FileReferences.Parse(a, kind)).ToList();
        var resolved = await FileReferences.ResolveAsync(context.Client, kind, parsed, context.Cancellation);
        var targets = parsed.Select(p => p.Target).ToHashSet(StringComparer.Ordinal);
        var result = new JsonArray();
        foreach (var existing in container[member] as JsonArray ?? [])
        {
            var target = existing.Obj("File").Str("Name");
            if (remove.Contains(existing.Str(nameKey)) || targets.Contains(target))
                continue;
            result.Add(existing!.DeepClone());
        }
        foreach (var reference in resolved)
            result.Add(reference!.DeepClone());
        if (result.Count == 0)
            container.Remove(member);
        else
            container[member] = result;
    }

    private static async Task UpdateNetworksAsync(CliContext context, JsonObject task, ParsedFlags flags)
    {
        var add = flags.List("network-add");
        var remove = flags.List("network-rm");
        if (add.Count == 0 && remove.Count == 0)
            return;
        var removeIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in remove)
        {
            var network = Json.Parse(await context.Client.GetBytesAsync($"/networks/{Uri.EscapeDataString(name)}",
                new Berth.Client.Http.QueryString().Add("scope", "swarm"), context.Cancellation));
            removeIds.Add(network.Str("Id"));
        }
        var added = await ServiceNetworks.ResolveAsync(context.Client, add, context.Cancellation);
        var result = new List<JsonNode>();
        foreach (var existing in task["Networks"] as JsonArray ?? [])
        {
            if (!removeIds.Contains(existing.Str("Target")))
                result.Add(existing!.DeepClone());
        }
        foreach (var attachment in added)
        {
            if (!result.Any(r => r.Str("Target") == attachment.Str("Target")))
                result.Add(attachment!.DeepClone());
        }
        if (result.Count == 0)
            task.Remove("Networks");
        else
            task["Networks"] = new JsonArray([.. result.OrderBy(r => r.Str("Target"), StringComparer.Ordinal)]);
    }
}
