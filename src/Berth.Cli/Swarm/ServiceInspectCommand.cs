using Berth.Cli.Parsing;

namespace Berth.Cli.Swarm;

/// <summary><c>service inspect</c>: the service with defaults filled in (as docker asks), JSON, -f or --pretty.</summary>
public static class ServiceInspectCommand
{
    public static readonly CommandSpec Spec = new("inspect", "[OPTIONS] SERVICE [SERVICE...]", "Display detailed information on one or more services",
    [
        SwarmInspect.FormatFlag,
        SwarmInspect.PrettyFlag,
    ], ArgRule.AtLeast(1), RunAsync);

    private static Task<int> RunAsync(CliContext context, ParsedFlags flags) =>
        SwarmInspect.RunAsync(context, flags, "service",
            (name, ct) => context.Client.InspectServiceRawAsync(name, ct, insertDefaults: true), ServicePretty.Render);
}
