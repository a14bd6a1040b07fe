using System.Text.Json.Nodes;
using Berth.Cli.Parsing;

namespace Berth.Cli.Swarm;

/// <summary><c>service create</c>: builds docker's ServiceSpec, resolves secrets, configs, networks and the image digest, then waits unless -d.</summary>
public static class ServiceCreateCommand
{
    public static readonly CommandSpec Spec = new("create", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new service",
        ServiceFlags.Create, ArgRule.AtLeast(1), RunAsync, Interspersed: false);

    private static async Task<int> RunAsync(CliContext context, ParsedFlags flags)
    {
        var secrets = await FileReferences.ResolveAsync(context.Client, "secret",
            [.. flags.List("secret").Select(s => FileReferences.Parse(s, "secret"))], context.Cancellation);
        var configs = await FileReferences.ResolveAsync(context.Client, "config",
            [.. flags.List("config").Select(s => FileReferences.Parse(s, "config"))], context.Cancellation);
        var networks = await ServiceNetworks.ResolveAsync(context.Client, flags.List("network"), context.Cancellation);
        var spec = ServiceSpecBuilder.Build(flags, context.Environment, secrets, configs, networks);
        var warnings = new List<string>();
        if (!flags.Bool("no-resolve-image") && await ImageDigests.ResolveAsync(context.Client, spec, context.Cancellation) is { } warning)
            warnings.Add(warning);
        var response = await context.Client.CreateServiceAsync(spec, context.Cancellation);
        foreach (var line in (response.Warnings ?? []).Concat(warnings))
            context.Err.Write(line + "\n");
        context.Out.Write(response.ID + "\n");
        if (flags.Bool("detach"))
            return 0;
        return await ServiceWait.RunAsync(context, response.ID, flags.Bool("quiet"));
    }
}
